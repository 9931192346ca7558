/**
 * Data-parallel training on one machine: the batch is split into contiguous shards, the main
 * thread computes the first and one worker thread each of the others, all at once, and the main
 * thread sums their weighted gradients and applies the update (clipping, Adam, EMA) as the
 * single-thread trainStep does. TF.js's wasm backend runs one thread per engine, so this is how
 * training uses more than one core. The step is the same step: the sum over shards of the
 * weighted shard gradients is the batch gradient, up to float32 summation order.
 */
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { DeqirError } from '../../errors.js';
import type { DiffusionSchedule } from '../../schedule/linearSchedule.js';
import { applyGradients, shardGradients, trainStep, type TrainingImages, type TrainState } from '../../training/trainer.js';
import { paramLayout, readFlat, writeFlat } from './paramLayout.js';
import type { FromWorker, ShardWorkerInit } from './protocol.js';
import { splitBatch } from './shards.js';
import { startTsWorker } from '../workers/tsWorker.js';

export interface ParallelTrainer {
  /** Shards per step (1 = the plain trainStep on this thread). */
  readonly workers: number;
  /** One optimisation step on `state`; resolves to the batch loss, as trainStep returns. */
  step(): Promise<number>;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

interface ShardWorker {
  worker: Worker;
  grads: Float32Array;
  /** Resolves with the next 'done' message's loss. */
  next(): Promise<number>;
}

function startWorker(init: ShardWorkerInit): Promise<ShardWorker> {
  const worker = startTsWorker(new URL('./shardWorker.ts', import.meta.url), init);
  const waiting: { resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | undefined;
  const fail = (e: Error) => {
    failure ??= e;
    while (waiting.length) waiting.shift()!.reject(failure);
  };
  return new Promise((resolveReady, rejectReady) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ready') resolveReady(shardWorker);
      else if (m.type === 'done') waiting.shift()?.resolve(m.loss);
      else {
        const e = new DeqirError('resource', m.message);
        rejectReady(e);
        fail(e);
      }
    });
    worker.on('error', (e) => {
      rejectReady(e);
      fail(e);
    });
    worker.on('exit', (code) => {
      const e = new DeqirError('resource', `shard worker ${init.shard.start}..${init.shard.end} exited (code ${code})`);
      rejectReady(e);
      fail(e);
    });
    const shardWorker: ShardWorker = {
      worker,
      grads: new Float32Array(init.grads),
      next: () => (failure ? Promise.reject(failure) : new Promise((resolve, reject) => waiting.push({ resolve, reject }))),
    };
  });
}

/**
 * Starts `workers - 1` worker threads for `state` (which the returned trainer advances). The
 * workers use the backend this thread uses (cpu or wasm).
 */
export async function startParallelTrainer(
  state: TrainState,
  data: TrainingImages,
  schedule: DiffusionSchedule,
  workers: number,
): Promise<ParallelTrainer> {
  const shards = splitBatch(state.hyper.batchSize, workers);
  if (workers === 1) return { workers, step: async () => trainStep(state, data, schedule), close: async () => {} };
  const backend = tf.getBackend();
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new DeqirError('usage', `parallel training runs on the cpu or wasm backend, not '${backend}'`);
  const layout = paramLayout(state.params);
  const pixels = new SharedArrayBuffer(data.pixels.byteLength);
  new Uint8Array(pixels).set(data.pixels);
  const params = new SharedArrayBuffer(layout.size * 4);
  const paramsFlat = new Float32Array(params);
  const started = await Promise.allSettled(
    shards.slice(1).map((shard) =>
      startWorker({
        backend,
        config: state.config,
        hyper: state.hyper,
        layout,
        shard,
        betas: Array.from(schedule.betas),
        pixels,
        count: data.count,
        params,
        grads: new SharedArrayBuffer(layout.size * 4),
      }),
    ),
  );
  const pool = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const close = async () => {
    await Promise.all(pool.map((w) => w.worker.terminate()));
  };
  const bad = started.find((r) => r.status === 'rejected');
  if (bad) {
    await close();
    throw (bad as PromiseRejectedResult).reason;
  }
  return {
    workers,
    close,
    async step() {
      writeFlat(
        layout,
        layout.names.map((n) => state.params[n]),
        paramsFlat,
      );
      const pending = pool.map((w) => w.next());
      pool.forEach((w) => w.worker.postMessage({ type: 'step', step: state.step }));
      const mine = shardGradients(state.config, state.hyper, state.step, state.params, data, schedule, shards[0]);
      let losses: number[];
      try {
        losses = await Promise.all(pending);
      } catch (e) {
        mine.grads.forEach((g) => g.dispose());
        throw e;
      }
      const theirs = pool.map((w) => readFlat(layout, w.grads));
      const total = mine.grads.map((g, i) => tf.tidy(() => tf.addN([g, ...theirs.map((t) => t[i])])));
      mine.grads.forEach((g) => g.dispose());
      theirs.flat().forEach((g) => g.dispose());
      const loss = losses.reduce((a, b) => a + b, mine.loss);
      applyGradients(state, loss, total);
      return loss;
    },
  };
}
