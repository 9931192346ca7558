import { AbortError } from '../errors.js';

/**
 * `p`, or an AbortError as soon as `signal` aborts, whichever comes first. `p` itself goes on: a
 * prior that is still downloading when its job is cancelled finishes loading and stays cached for
 * the next job, and the cancel is answered at once (the page replaces a worker that does not answer).
 */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AbortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
