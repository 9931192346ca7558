/** Everything a sampling worker needs, sent once at start. */
export interface SampleWorkerInit {
  backend: 'cpu' | 'wasm';
  /** The UNet's safetensors bytes (each worker decodes its own copy). */
  weights: Uint8Array;
  /** The schedule's betas; the worker rebuilds the linear schedule and checks it matches. */
  betas: number[];
  /** The whole run, as ddimSample takes it, and this worker's rows of it. */
  count: number;
  T: number;
  seed: number;
  batchSize: number;
  rows: { start: number; end: number };
}

export type FromSampleWorker = { type: 'call' } | { type: 'done'; samples: Float32Array } | { type: 'error'; message: string };
