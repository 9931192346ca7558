/**
 * One data-parallel training worker (a worker thread; started by startTsWorker).
 * Each step it reads the current parameters from shared memory, computes its shard's weighted
 * loss and gradients with the same shardGradients the single-thread trainer uses, and writes the
 * gradients back to shared memory. It holds no optimiser state: the main thread applies updates.
 */
import { parentPort } from 'node:worker_threads';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useNodeBackend } from '../../backend/nodeBackend.js';
import { linearScheduleFromBetas } from '../../schedule/linearSchedule.js';
import { shardGradients } from '../../training/trainer.js';
import { asParams, readFlat, writeFlat } from './paramLayout.js';
import type { FromWorker, ShardWorkerInit, ToWorker } from './protocol.js';
import { tsWorkerInit } from '../workers/tsWorker.js';

const init = tsWorkerInit<ShardWorkerInit>();
const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);

try {
  setThreadsCount(1);
  await useNodeBackend(init.backend);
  const schedule = linearScheduleFromBetas(init.betas);
  const data = { count: init.count, pixels: new Uint8Array(init.pixels) };
  const params = new Float32Array(init.params);
  const grads = new Float32Array(init.grads);
  port.on('message', (m: ToWorker) => {
    if (m.type === 'close') {
      port.close();
      return;
    }
    try {
      const tensors = readFlat(init.layout, params);
      try {
        const r = shardGradients(init.config, init.hyper, m.step, asParams(init.layout, tensors), data, schedule, init.shard);
        writeFlat(init.layout, r.grads, grads);
        r.grads.forEach((g) => g.dispose());
        send({ type: 'done', step: m.step, loss: r.loss });
      } finally {
        tensors.forEach((t) => t.dispose());
      }
    } catch (e) {
      send({ type: 'error', message: `shard worker ${init.shard.start}..${init.shard.end}, step ${m.step}: ${(e as Error).message}` });
    }
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'error', message: `shard worker failed to start: ${(e as Error).message}` });
}
