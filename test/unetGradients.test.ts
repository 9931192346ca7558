import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { relativeL2 } from '../src/lib/metrics/vectorStats.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { restorationGradient } from '../src/lib/gradients/restorationGradient.js';
import { restorationLoss } from '../src/lib/gradients/restorationLoss.js';
import type { EpsModel } from '../src/lib/models/epsModel.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { prepareRestoration } from '../src/lib/samplers/preparedRestoration.js';
import { TEST_BACKEND } from './support/tfSetup.js';

/** The trained UNet is too slow for the reference cpu backend (~0.2 GFLOP per image): wasm here. */
describe('gradients through the trained UNet (wasm backend)', () => {
  let model: EpsModel;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    model = await loadModelFile('models/fashion-unet-small.safetensors', [28, 28, 1]);
  });
  afterAll(async () => {
    model?.dispose?.();
    await useNodeBackend(TEST_BACKEND);
  });

  it.each([
    { name: 'SR x4', spec: { kind: 'sr-avgpool', factor: 4 } as const },
    { name: 'inpainting box', spec: { kind: 'inpainting', pattern: 'box' } as const },
  ])('$name, T = 10: implicit gradient equals serial back-propagation (relative L2 <= 1e-3)', async ({ spec }) => {
    const operator = createOperator(spec, [28, 28, 1]);
    const set = loadBenchmarkSubset();
    const x = tf.tensor4d(toSignedUnit(set, [3]), [1, 28, 28, 1]);
    const y = operator.A(x);
    const xT = tf.tensor4d(gaussianArray(784, 9), [1, 28, 28, 1]);
    const task = prepareRestoration({ model, operator, y, xT, sampling: { T: 10 } });
    const weights = new Float32Array(784);
    weights[14 * 28 + 14] = 1; // the centre pixel of x0
    const loss = restorationLoss({ kind: 'weighted-sum', weights }, operator, 1);
    const before = tf.memory().numTensors;
    const out: Record<string, { dxT: Float32Array; dy: Float32Array }> = {};
    for (const method of ['implicit', 'serial'] as const) {
      const r = await restorationGradient(task, loss, { method });
      out[method] = { dxT: (await r.dxT.data()) as Float32Array, dy: (await r.dy.data()) as Float32Array };
      [r.x0, r.dxT, r.dy].forEach((t) => t.dispose());
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(relativeL2(out.implicit.dxT, out.serial.dxT)).toBeLessThanOrEqual(1e-3);
    expect(relativeL2(out.implicit.dy, out.serial.dy)).toBeLessThanOrEqual(1e-3);
    loss.dispose();
    task.dispose();
    [x, y, xT].forEach((t) => t.dispose());
    operator.dispose();
  });
});
