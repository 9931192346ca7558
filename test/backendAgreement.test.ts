import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { measure } from '../src/lib/operators/measure.js';
import { prepareRestoration } from '../src/lib/samplers/preparedRestoration.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { OPERATOR_CASES, randomImages, testPrior } from './support/fixtures.js';
import { maxAbsDiff, TEST_BACKEND } from './support/tfSetup.js';

/** Serial and DeqIR x0 for one operator case, on the current backend, read back to JS. */
async function restoreOnce(i: number) {
  const { spec, shape } = OPERATOR_CASES[i];
  const model = testPrior(shape);
  const operator = createOperator(spec, shape);
  const x = randomImages(1, shape, 5) as tf.Tensor4D;
  const y = measure(operator, x, 0.05, 6);
  const xT = randomImages(1, shape, 7) as tf.Tensor4D;
  const task = prepareRestoration({ model, operator, y, xT, sampling: { T: 20, etw: 0.1 } });
  const s = await serialChain(task);
  const d = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: 20 });
  const out = { serial: await s.x0.data(), deq: await d.x0.data(), iterations: d.iterations };
  [s.x0, d.x0, x, y, xT].forEach((t) => t.dispose());
  task.dispose();
  operator.dispose();
  model.dispose?.();
  return out;
}

describe('cpu and wasm backends agree', () => {
  it.each(OPERATOR_CASES.map((c, i) => ({ name: c.name, i })))('$name: serial and DeqIR x0 agree within 1e-4', async ({ i }) => {
    await useNodeBackend('cpu');
    const cpu = await restoreOnce(i);
    await useNodeBackend('wasm');
    const wasm = await restoreOnce(i);
    await useNodeBackend(TEST_BACKEND);
    expect(maxAbsDiff(cpu.serial, wasm.serial)).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(cpu.deq, wasm.deq)).toBeLessThanOrEqual(1e-4);
  });
});
