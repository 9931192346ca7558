import { AbortError } from '../../errors.js';
import { BROWSER_BACKENDS, type BackendTiming, type BrowserBackend } from '../../backend/browserBackends.js';
import type { Progress } from '../progress.js';
import type { FromWorker, Job, JobResult, Memory, PriorFiles, ToWorker } from '../protocol.js';
import type { SiteDataset } from '../sitePriors.js';

/** What the client needs of a Worker (a fake one in the Node tests). */
export interface WorkerLike {
  postMessage(m: ToWorker): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null;
  onerror: ((ev: ErrorEvent) => void) | null;
}

export interface ClientOptions {
  workerUrl: string;
  wasmPaths: Record<string, string>;
  /** Each prior's files (weights, subset): the worker fetches them when a job first needs them. */
  priors: Record<SiteDataset, PriorFiles>;
  /** Backends to try, in order (default webgpu → webgl → wasm → cpu). */
  order?: BrowserBackend[];
  /** Time every backend of `order` and keep the fastest (default); false keeps the first that works. */
  measure?: boolean;
  /**
   * A choice measured earlier in this browser session (another page): its backend is used without
   * measuring again, and its times and reasons are what the page reports. Ignored if that backend no
   * longer starts (the next in the order then runs, unmeasured).
   */
  known?: { backend: BrowserBackend; timings: BackendTiming[]; reasons: string[] };
  /** How long a cancelled job may take to stop by itself before its worker is terminated (ms, default 250). */
  cancelGraceMs?: number;
  /** Makes the worker (default: a module Worker of `workerUrl`). */
  createWorker?: () => WorkerLike;
}

export interface JobReply<R> {
  result: R;
  prior?: string;
  memory: Memory;
}

/** What the client tells its listeners: a worker replaced after a failure or a cancel, and its successor ready. */
export type ClientEvent =
  | { type: 'restarting'; cause: 'failure' | 'cancel'; reason: string }
  | { type: 'restarted'; backend: BrowserBackend }
  | { type: 'restart-failed'; message: string };

/** A job lost with its worker (a wasm abort, a lost GPU device, an uncaught error); a fresh worker is started. */
export class WorkerFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerFailedError';
  }
}

interface Queued {
  id: number;
  job: Job;
  resolve(v: JobReply<JobResult>): void;
  reject(e: Error): void;
  onProgress?: (p: Progress) => void;
  detach(): void;
}

interface Request {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/**
 * The page side of the DeqIR worker. Jobs queue here and go to the worker one at a time. Cancelling
 * a job (its AbortSignal) rejects its promise with an AbortError at once; the worker gets
 * `cancelGraceMs` to stop at its next step, and is otherwise terminated mid-step and replaced, so a
 * cancel takes effect even inside one long TF.js call. A worker that fails (onerror, or an error
 * it marks fatal: a wasm abort, a lost WebGPU device) is replaced too, re-initialised with the same
 * options and the backend its predecessor chose; the job it was running rejects with a
 * WorkerFailedError, queued jobs run on the fresh worker.
 */
export class DeqirClient {
  private nextId = 1;
  private worker!: WorkerLike;
  private queue: Queued[] = [];
  private current: Queued | null = null;
  /** A cancelled job the worker may still be finishing: nothing is sent until it answers or the worker is replaced. */
  private draining: { id: number; timer: ReturnType<typeof setTimeout> } | null = null;
  private requests = new Map<number, Request>();
  private ready = false;
  /** The last fresh worker did not start: the next run tries again. */
  private broken = false;
  private readyPromise!: Promise<void>;
  private listeners = new Set<(e: ClientEvent) => void>();
  /** Waiting for the worker to be ready and not draining (memory requests). */
  private waiters: (() => void)[] = [];
  backend: BrowserBackend = 'cpu';
  /** Why backends before the chosen one could not run. */
  reasons: string[] = [];
  /** The measurements that chose the backend (empty when forced or when only one works). */
  timings: BackendTiming[] = [];
  /** Whether the backend was measured (false: the first that works in a forced order). */
  measured = false;
  /** How many times the worker was replaced. */
  restarts = 0;

  private constructor(private o: ClientOptions) {}

  static async start(o: ClientOptions): Promise<DeqirClient> {
    const c = new DeqirClient(o);
    const k = o.known;
    if (k) c.spawn([k.backend, ...BROWSER_BACKENDS.filter((b) => b !== k.backend)], false);
    else c.spawn(o.order ?? [...BROWSER_BACKENDS], o.measure ?? true);
    await c.readyPromise;
    if (k && c.backend === k.backend) [c.timings, c.reasons, c.measured] = [k.timings, k.reasons, k.timings.length > 0];
    return c;
  }

  /** Listens for worker replacements; returns the function that stops listening. */
  on(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the current worker is initialised (after a restart: the fresh one). */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  run<R extends JobResult>(job: Job, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<JobReply<R>> {
    if (opts.signal?.aborted) return Promise.reject(new AbortError());
    return new Promise<JobReply<R>>((resolve, reject) => {
      const signal = opts.signal;
      const q: Queued = {
        id: this.nextId++,
        job,
        resolve: resolve as (v: JobReply<JobResult>) => void,
        reject,
        onProgress: opts.onProgress,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      const onAbort = () => this.cancel(q);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(q);
      this.pump();
    });
  }

  /** The worker's tf.memory(); asked once the worker is free of a cancelled job (or replaced). */
  async memory(): Promise<Memory> {
    while (!this.ready || this.draining) await new Promise<void>((r) => this.waiters.push(r));
    return this.request<Memory>({ type: 'memory', id: 0 });
  }

  terminate(): void {
    this.worker.terminate();
    const err = new Error('the worker was terminated');
    this.current?.reject(err);
    this.queue.forEach((q) => q.reject(err));
    this.requests.forEach((r) => r.reject(err));
    this.current = null;
    this.queue = [];
    this.requests.clear();
  }

  private emit(e: ClientEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** A new worker, initialised with the client's options; jobs wait until it is ready. */
  private spawn(order: BrowserBackend[], measure: boolean): void {
    const w = this.o.createWorker?.() ?? (new Worker(this.o.workerUrl, { type: 'module' }) as unknown as WorkerLike);
    this.worker = w;
    this.ready = false;
    w.onmessage = (ev) => w === this.worker && this.receive(ev.data);
    w.onerror = (ev) => {
      ev.preventDefault?.();
      if (w === this.worker) this.fail(`the worker stopped with an uncaught error: ${ev.message || 'no message'}`);
    };
    this.readyPromise = this.request<{ backend: BrowserBackend; reasons: string[]; timings: BackendTiming[] }>({
      type: 'init',
      id: 0,
      order,
      measure,
      wasmPaths: this.o.wasmPaths,
      priors: this.o.priors,
    }).then((r) => {
      this.backend = r.backend;
      if (measure) [this.reasons, this.timings, this.measured] = [r.reasons, r.timings, r.timings.length > 0];
      else if (this.restarts === 0) [this.reasons, this.timings, this.measured] = [r.reasons, [], false];
      this.ready = true;
      this.pump();
    });
    this.readyPromise.catch(() => undefined);
  }

  /** Replaces the worker: same options, the backend the session already chose (no new measurement). */
  private restart(cause: 'failure' | 'cancel', reason: string): void {
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.terminate();
    if (this.draining) clearTimeout(this.draining.timer);
    this.draining = null;
    const lost = new WorkerFailedError(`${reason}; the worker was replaced`);
    this.requests.forEach((r) => r.reject(lost));
    this.requests.clear();
    this.restarts++;
    this.emit({ type: 'restarting', cause, reason });
    this.spawn([this.backend, ...BROWSER_BACKENDS.filter((b) => b !== this.backend)], false);
    this.readyPromise.then(
      () => this.emit({ type: 'restarted', backend: this.backend }),
      (e: Error) => {
        // No second restart in a row: reject what waits, and let the next run try again.
        const err = new WorkerFailedError(`a fresh worker did not start: ${e.message}`);
        this.queue.splice(0).forEach((q) => (q.detach(), q.reject(err)));
        this.emit({ type: 'restart-failed', message: e.message });
        this.broken = true;
      },
    );
  }

  /** The worker cannot be used any more: its job fails, the queue moves to a fresh worker. */
  private fail(reason: string): void {
    if (!this.ready) {
      // During initialisation: the init request fails (start() or restart() reports it), no restart loop.
      const err = new WorkerFailedError(reason);
      this.requests.forEach((r) => r.reject(err));
      this.requests.clear();
      return;
    }
    const job = this.current;
    this.current = null;
    if (job) {
      job.detach();
      job.reject(new WorkerFailedError(`${reason}; a fresh worker is starting, so the next run works without a reload`));
    }
    this.restart('failure', reason);
  }

  private cancel(q: Queued): void {
    const i = this.queue.indexOf(q);
    if (i >= 0) {
      this.queue.splice(i, 1);
      return q.reject(new AbortError());
    }
    if (this.current !== q) return;
    this.current = null;
    q.reject(new AbortError());
    this.worker.postMessage({ type: 'cancel', id: q.id });
    // The job stops at its next step or iteration; inside one long TF.js call it cannot, so the worker goes.
    const timer = setTimeout(
      () => this.restart('cancel', 'a cancelled job did not stop within the grace period'),
      this.o.cancelGraceMs ?? 250,
    );
    this.draining = { id: q.id, timer };
  }

  private pump(): void {
    if (this.ready && !this.draining) this.waiters.splice(0).forEach((w) => w());
    if (this.broken && this.queue.length) {
      this.broken = false;
      this.restart('failure', 'the previous worker did not start');
      return;
    }
    if (!this.ready || this.current || this.draining) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    this.worker.postMessage({ type: 'run', id: next.id, job: next.job });
  }

  private request<R>(msg: ToWorker): Promise<R> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.requests.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  private receive(m: FromWorker): void {
    // Between jobs too: the next job would only fail on it.
    if (m.type === 'lost') return this.fail(`the WebGPU device was lost (${m.message})`);
    if (this.draining?.id === m.id) {
      if (m.type === 'progress') return;
      clearTimeout(this.draining.timer);
      this.draining = null;
      if (m.type === 'error' && m.fatal) return this.restart('failure', m.message);
      return this.pump();
    }
    const req = this.requests.get(m.id);
    if (req) {
      this.requests.delete(m.id);
      if (m.type === 'error') return req.reject(Object.assign(new Error(m.message), { name: m.name }));
      if (m.type === 'ready') return req.resolve({ backend: m.backend, reasons: m.reasons, timings: m.timings });
      if (m.type === 'memory') return req.resolve(m.memory);
      return;
    }
    const job = this.current;
    if (!job || job.id !== m.id) return; // a cancelled job's late messages
    if (m.type === 'progress') return job.onProgress?.(m.progress);
    this.current = null;
    job.detach();
    if (m.type === 'error' && m.fatal) {
      job.reject(
        new WorkerFailedError(
          `${m.message}; the worker cannot continue after this, so a fresh worker is starting and the next run works without a reload`,
        ),
      );
      return this.restart('failure', m.message);
    }
    if (m.type === 'error')
      job.reject(Object.assign(m.name === 'AbortError' ? new AbortError(m.message) : new Error(m.message), { name: m.name }));
    else if (m.type === 'result') job.resolve({ result: m.result, prior: m.prior, memory: m.memory });
    this.pump();
  }
}
