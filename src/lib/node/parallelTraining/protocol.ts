import type { UNetConfig } from '../../models/unet/config.js';
import type { BatchShard, TrainHyper } from '../../training/trainer.js';
import type { ParamLayout } from './paramLayout.js';

/** Everything a shard worker needs, sent once at start (the buffers are shared, not copied). */
export interface ShardWorkerInit {
  backend: 'cpu' | 'wasm';
  config: UNetConfig;
  hyper: TrainHyper;
  layout: ParamLayout;
  shard: BatchShard;
  /** The schedule's betas; the worker rebuilds the linear schedule and checks it matches. */
  betas: number[];
  /** Training images, uint8 [count, H*W*C]. */
  pixels: SharedArrayBuffer;
  count: number;
  /** Current parameters, float32 [layout.size], written by the main thread before each step. */
  params: SharedArrayBuffer;
  /** This worker's weighted gradients, float32 [layout.size]. */
  grads: SharedArrayBuffer;
}

export type ToWorker = { type: 'step'; step: number } | { type: 'close' };
export type FromWorker = { type: 'ready' } | { type: 'done'; step: number; loss: number } | { type: 'error'; message: string };
