/**
 * One sampling worker (a worker thread; started by startTsWorker): decodes the UNet, samples its
 * rows of the DDIM run with the same ddimSample a single thread uses, reports each eps call and
 * sends the samples back (transferred, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useNodeBackend } from '../../backend/nodeBackend.js';
import type { EpsModel } from '../../models/epsModel.js';
import { decodeUNet } from '../../models/weights/unetWeights.js';
import { linearScheduleFromBetas } from '../../schedule/linearSchedule.js';
import { ddimSample } from '../../training/ddimSample.js';
import { tsWorkerInit } from '../workers/tsWorker.js';
import type { FromSampleWorker, SampleWorkerInit } from './protocol.js';

const init = tsWorkerInit<SampleWorkerInit>();
const port = parentPort!;
const send = (m: FromSampleWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

try {
  setThreadsCount(1);
  await useNodeBackend(init.backend);
  const { model } = await decodeUNet(init.weights);
  try {
    const reporting: EpsModel = {
      name: model.name,
      imageShape: model.imageShape,
      eps: (x, t) => {
        const y = model.eps(x, t);
        send({ type: 'call' });
        return y;
      },
    };
    const out = ddimSample(reporting, linearScheduleFromBetas(init.betas), {
      count: init.count,
      T: init.T,
      seed: init.seed,
      batchSize: init.batchSize,
      rows: init.rows,
    });
    const samples = out.dataSync() as Float32Array;
    out.dispose();
    send({ type: 'done', samples }, [samples.buffer as ArrayBuffer]);
  } finally {
    model.dispose();
  }
} catch (e) {
  send({ type: 'error', message: `sample worker ${init.rows.start}..${init.rows.end}: ${(e as Error).message}` });
}
