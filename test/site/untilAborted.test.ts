import { describe, expect, it } from 'vitest';
import { AbortError } from '../../src/lib/errors.js';
import { untilAborted } from '../../src/lib/site/untilAborted.js';

describe('a job waiting for its prior answers a cancel at once (the worker is not replaced)', () => {
  it('passes the value or the error through when nothing aborts', async () => {
    await expect(untilAborted(Promise.resolve(3), new AbortController().signal)).resolves.toBe(3);
    await expect(untilAborted(Promise.reject(new Error('no weights')), new AbortController().signal)).rejects.toThrow('no weights');
  });

  it('rejects with AbortError when aborted first, while the load itself goes on and can be awaited again', async () => {
    let finish!: (v: string) => void;
    const load = new Promise<string>((r) => (finish = r));
    const ctrl = new AbortController();
    const waiting = untilAborted(load, ctrl.signal);
    ctrl.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    finish('weights');
    await expect(untilAborted(load, new AbortController().signal)).resolves.toBe('weights');
  });

  it('rejects at once when the signal has already aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(untilAborted(new Promise(() => {}), ctrl.signal)).rejects.toBeInstanceOf(AbortError);
  });
});
