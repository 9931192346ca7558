/**
 * Unconditional DDIM sampling over several worker threads: the run's batches are split into
 * contiguous shares of whole batches, each worker thread (its own TF.js engine, one wasm thread)
 * samples its share with ddimSample, and the shares are put back in order. Every batch is the
 * whole run's batch, so the result is the single-thread ddimSample's, sample for sample.
 * This is how the quality bar's 2,000 samples use more than one core (the wasm backend's own
 * threads do not: docs/design.md, data parallelism).
 */
import type { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { concatFloat32 } from '../../image/concatFloat32.js';
import { DeqirError, ParameterError } from '../../errors.js';
import type { DiffusionSchedule } from '../../schedule/linearSchedule.js';
import { samplingCalls } from '../../quality/samplingProgress.js';
import { splitBatch } from '../parallelTraining/shards.js';
import { startTsWorker } from '../workers/tsWorker.js';
import type { FromSampleWorker, SampleWorkerInit } from './protocol.js';

export interface ParallelSampleOptions {
  count: number;
  T: number;
  seed: number;
  batchSize: number;
  /** Worker threads (at most one per batch). */
  workers: number;
  /** Each eps call of any worker: calls done, calls in all, seconds since the start. */
  onCall?: (done: number, total: number, seconds: number) => void;
}

/** Contiguous row ranges of whole batches, one per worker, covering 0..count. */
export function sampleShares(count: number, batchSize: number, workers: number): { start: number; end: number }[] {
  if (!Number.isInteger(count) || count < 1) throw new ParameterError(`count must be an integer >= 1, got ${count}`, 'count');
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ParameterError(`batchSize must be an integer >= 1, got ${batchSize}`, 'batchSize');
  const batches = Math.ceil(count / batchSize);
  if (!Number.isInteger(workers) || workers < 1) throw new ParameterError(`workers must be an integer >= 1, got ${workers}`, 'workers');
  return splitBatch(batches, Math.min(workers, batches)).map((b) => ({
    start: b.start * batchSize,
    end: Math.min(count, b.end * batchSize),
  }));
}

/** Runs one share in a worker; rejects with a typed error if the worker fails or exits early. */
function sampleShare(init: SampleWorkerInit, onCall: () => void, started: Worker[]): Promise<Float32Array> {
  const worker = startTsWorker(new URL('./sampleWorker.ts', import.meta.url), init);
  started.push(worker);
  return new Promise((resolve, reject) => {
    const where = `sample worker ${init.rows.start}..${init.rows.end}`;
    worker.on('message', (m: FromSampleWorker) => {
      if (m.type === 'call') onCall();
      else if (m.type === 'done') resolve(m.samples);
      else reject(new DeqirError('resource', m.message));
    });
    worker.on('error', (e) => reject(new DeqirError('resource', `${where}: ${e.message}`)));
    worker.on('exit', (code) => reject(new DeqirError('resource', `${where} exited (code ${code}) before sending its samples`)));
  });
}

/**
 * `count` DDIM samples (eta = 0) of the UNet in `weights` (safetensors bytes), [count * H * W * C]
 * in ddimSample's order, computed by `workers` worker threads on this thread's backend (cpu or wasm).
 */
export async function parallelDdimSample(
  weights: Uint8Array,
  schedule: DiffusionSchedule,
  o: ParallelSampleOptions,
): Promise<Float32Array> {
  const shares = sampleShares(o.count, o.batchSize, o.workers);
  const backend = tf.getBackend();
  if (backend !== 'cpu' && backend !== 'wasm')
    throw new DeqirError('usage', `parallel sampling runs on the cpu or wasm backend, not '${backend}'`);
  const total = samplingCalls(o.count, o.T, o.batchSize);
  let done = 0;
  const t0 = performance.now();
  const onCall = () => o.onCall?.(++done, total, (performance.now() - t0) / 1000);
  const workers: Worker[] = [];
  try {
    const parts = await Promise.all(
      shares.map((rows) =>
        sampleShare(
          { backend, weights, betas: Array.from(schedule.betas), count: o.count, T: o.T, seed: o.seed, batchSize: o.batchSize, rows },
          onCall,
          workers,
        ),
      ),
    );
    return concatFloat32(parts);
  } finally {
    // Ends every worker, also the others when one has failed (none is left running).
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
