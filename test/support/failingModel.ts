import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import type { EpsModel } from '../../src/lib/models/epsModel.js';

/** A model that fails on its n-th eps call (n = 0: never), counting the calls a successful run makes. */
export function failingOn(inner: EpsModel, n: number): EpsModel & { calls: () => number } {
  let calls = 0;
  return {
    name: 'fails',
    imageShape: inner.imageShape,
    calls: () => calls,
    eps: (x, t) => {
      if (++calls === n) throw new Error(`eps call ${n} failed`);
      return inner.eps(x, t);
    },
  };
}

/**
 * Runs `run` once with a counting model, then once failing on each eps call the successful run made,
 * and checks that the successful run and every failing run, which rejects with that call's error and leaves tf.memory() as it found
 * it. `run` frees what a successful run returns.
 */
export async function expectFreedOnEveryFailure(inner: EpsModel, run: (model: EpsModel) => Promise<unknown>, minCalls = 1): Promise<void> {
  const before = tf.memory().numTensors;
  const counting = failingOn(inner, 0);
  await run(counting);
  expect(tf.memory().numTensors, 'the successful run').toBe(before);
  const total = counting.calls();
  expect(total).toBeGreaterThanOrEqual(minCalls);
  for (let n = 1; n <= total; n++) {
    await expect(run(failingOn(inner, n))).rejects.toThrow(`eps call ${n} failed`);
    expect(tf.memory().numTensors, `failing on eps call ${n} of ${total}`).toBe(before);
  }
}
