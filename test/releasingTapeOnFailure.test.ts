import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import '../src/lib/tensors/registerGradients.js';
import { releasingTapeOnFailure } from '../src/lib/tensors/releasingTapeOnFailure.js';

// exp saves its output for the backward pass; the throw comes after it is on the tape.
const failsAfterExp = (x: tf.Tensor) => {
  tf.exp(x);
  throw new Error('model failed');
};

describe('a gradient whose function throws', () => {
  it("leaves the tape's saved tensors allocated in TF.js alone (why releasingTapeOnFailure exists)", () => {
    const x = tf.ones([4]);
    const before = tf.memory().numTensors;
    expect(() => tf.grad(failsAfterExp)(x)).toThrow('model failed');
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    releasingTapeOnFailure(() => 0); // a later call does not free a tape it did not run
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    expect(() =>
      releasingTapeOnFailure(() => {
        throw new Error('again');
      }),
    ).toThrow('again');
    expect(tf.memory().numTensors).toBe(before); // ...but a failing one frees the stale tape too
    x.dispose();
  });

  it('leaves nothing behind under releasingTapeOnFailure, for first and second order gradients', () => {
    const x = tf.ones([4]);
    const before = tf.memory().numTensors;
    expect(() => releasingTapeOnFailure(() => tf.grad(failsAfterExp)(x))).toThrow('model failed');
    expect(tf.memory().numTensors).toBe(before);
    const secondOrder = tf.grad((z: tf.Tensor) => tf.sum(tf.grad(failsAfterExp)(z)));
    expect(() => releasingTapeOnFailure(() => secondOrder(x))).toThrow('model failed');
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('returns what the gradient returns and frees nothing on success', () => {
    const x = tf.tensor1d([0, 1]);
    const g = releasingTapeOnFailure(() => tf.grad((z: tf.Tensor) => tf.sum(tf.exp(z)))(x));
    expect(Array.from(g.dataSync())).toEqual([1, Math.fround(Math.E)].map((v) => expect.closeTo(v, 5)));
    tf.dispose([x, g]);
  });
});
