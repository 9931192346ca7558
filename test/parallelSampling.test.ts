import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { DeqirError, ParameterError } from '../src/lib/errors.js';
import { TINY_TEST, type UNetConfig } from '../src/lib/models/unet/config.js';
import { initParams, disposeParams } from '../src/lib/models/unet/params.js';
import { UNetEpsModel } from '../src/lib/models/unet/unetModel.js';
import { encodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { parallelDdimSample, sampleShares } from '../src/lib/node/parallelSampling/parallelDdimSample.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { ddimSample } from '../src/lib/training/ddimSample.js';

const RGB: UNetConfig = { ...TINY_TEST, imageShape: [8, 8, 3] };
const schedule = linearSchedule();

beforeAll(async () => {
  setThreadsCount(1);
  await useNodeBackend('wasm');
});

describe('data-parallel DDIM sampling (npm run quality -- --workers N)', () => {
  it('splits a run into contiguous shares of whole batches that cover it', () => {
    expect(sampleShares(7, 2, 2)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 7 },
    ]);
    expect(sampleShares(2000, 100, 2)).toEqual([
      { start: 0, end: 1000 },
      { start: 1000, end: 2000 },
    ]);
    expect(sampleShares(3, 100, 4)).toEqual([{ start: 0, end: 3 }]);
    expect(() => sampleShares(5, 2, 0)).toThrow(ParameterError);
    expect(() => sampleShares(0, 2, 1)).toThrow(/count must be an integer >= 1/);
  });

  it('samples rows of a run exactly as the whole run does, starting at a batch boundary', () => {
    const params = initParams(RGB, 3);
    const model = new UNetEpsModel(RGB, params, 'tiny');
    const opts = { count: 5, T: 3, seed: 4, batchSize: 2 };
    const whole = ddimSample(model, schedule, opts);
    const part = ddimSample(model, schedule, { ...opts, rows: { start: 2, end: 5 } });
    expect(Array.from(part.dataSync())).toEqual(Array.from(whole.slice([2, 0, 0, 0], [3, 8, 8, 3]).dataSync()));
    expect(() => ddimSample(model, schedule, { ...opts, rows: { start: 4, end: 6 } })).toThrow(/rows 4\.\.6/);
    tf.dispose([whole, part]);
    model.dispose();
  });

  it('two worker threads give the single-thread samples and leave no tensors', async () => {
    const before = tf.memory().numTensors;
    const params = initParams(RGB, 5);
    const bytes = await encodeUNet(RGB, params);
    const model = new UNetEpsModel(RGB, params, 'tiny');
    const opts = { count: 7, T: 3, seed: 9, batchSize: 2 };
    const single = ddimSample(model, schedule, opts);
    const expected = single.dataSync().slice();
    single.dispose();
    model.dispose();
    const calls: number[] = [];
    const got = await parallelDdimSample(bytes, schedule, { ...opts, workers: 2, onCall: (done, total) => calls.push(done / total) });
    expect(got.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - expected[i]));
    expect(worst).toBeLessThan(1e-6);
    // 4 batches x 3 steps, each call reported once, the last one completing the run.
    expect(calls.length).toBe(12);
    expect(calls.at(-1)).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a worker that cannot start fails the run with a typed error instead of hanging', async () => {
    const before = tf.memory().numTensors;
    const params = initParams(RGB, 1);
    const bytes = await encodeUNet(RGB, params);
    disposeParams(params);
    bytes[bytes.length - 5] ^= 0xff;
    const run = parallelDdimSample(bytes, schedule, { count: 4, T: 2, seed: 1, batchSize: 2, workers: 2 });
    await expect(run).rejects.toThrow(DeqirError);
    // Both workers get the bad file; whichever fails first names its rows and the reason.
    await expect(run).rejects.toThrow(/sample worker (0\.\.2|2\.\.4): weight file: sha256 mismatch/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
