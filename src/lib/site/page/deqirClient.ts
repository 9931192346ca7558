import { AbortError } from '../../errors.js';
import type { BrowserBackend } from '../../backend/backendSelect.js';
import type { Progress } from '../progress.js';
import type { FromWorker, Job, JobResult, Memory, ToWorker } from '../protocol.js';

export interface ClientOptions {
  workerUrl: string;
  wasmPaths: Record<string, string>;
  unetUrl: string;
  gaussian: { mean: Float32Array; variance: Float32Array };
  order?: BrowserBackend[];
}

export interface JobReply<R> {
  result: R;
  prior?: string;
  memory: Memory;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onProgress?: (p: Progress) => void;
}

/**
 * The page side of the DeqIR worker: requests with ids, progress callbacks, cancellation through an
 * AbortSignal (the worker stops at its next step or iteration and answers with an AbortError).
 */
export class DeqirClient {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  backend: BrowserBackend = 'cpu';
  reasons: string[] = [];

  private constructor(private worker: Worker) {
    worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    worker.onerror = (ev) => {
      const err = new Error(`the worker failed: ${ev.message}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  static async start(o: ClientOptions): Promise<DeqirClient> {
    const c = new DeqirClient(new Worker(o.workerUrl, { type: 'module' }));
    const ready = await c.request<{ backend: BrowserBackend; reasons: string[] }>({
      type: 'init',
      id: 0,
      order: o.order ?? ['webgpu', 'webgl', 'wasm', 'cpu'],
      wasmPaths: o.wasmPaths,
      unetUrl: o.unetUrl,
      gaussian: o.gaussian,
    });
    c.backend = ready.backend;
    c.reasons = ready.reasons;
    return c;
  }

  run<R extends JobResult>(job: Job, opts: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<JobReply<R>> {
    if (opts.signal?.aborted) return Promise.reject(new AbortError());
    const id = this.nextId++;
    opts.signal?.addEventListener('abort', () => this.worker.postMessage({ type: 'cancel', id } satisfies ToWorker), { once: true });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: opts.onProgress });
      this.worker.postMessage({ type: 'run', id, job } satisfies ToWorker);
    });
  }

  memory(): Promise<Memory> {
    return this.request<Memory>({ type: 'memory', id: 0 });
  }

  terminate(): void {
    this.worker.terminate();
  }

  private request<R>(msg: ToWorker): Promise<R> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  private receive(m: FromWorker): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') return p.onProgress?.(m.progress);
    this.pending.delete(m.id);
    if (m.type === 'error') {
      const err = m.name === 'AbortError' ? new AbortError(m.message) : new Error(m.message);
      err.name = m.name;
      return p.reject(err);
    }
    if (m.type === 'ready') return p.resolve({ backend: m.backend, reasons: m.reasons });
    if (m.type === 'memory') return p.resolve(m.memory);
    p.resolve({ result: m.result, prior: m.prior, memory: m.memory });
  }
}
