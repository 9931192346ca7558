import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batchMatMul, concatChannels, conv2dSame, convFilterGrad, dense } from '../src/lib/models/unet/fastGrads.js';
import { gaussianArray } from '../src/lib/random/prng.js';

// The UNet trains on gradients we wrote by hand (fast forward kernels, docs/measured.md). Each one must
// equal TF.js's own autodiff of the plain op, on the reference cpu backend, to 1e-4 max abs.

let seed = 1;
const rand = (shape: number[]) =>
  tf.tensor(
    gaussianArray(
      shape.reduce((a, b) => a * b, 1),
      seed++,
    ),
    shape,
  );

/** Max abs difference between the values and every input gradient of two functions. */
function compare(fast: (...xs: tf.Tensor[]) => tf.Tensor, plain: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): number {
  return tf.tidy(() => {
    const dy = rand(plain(...inputs).shape);
    const diff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const gFast = tf.grads(fast)(inputs, dy);
    const gPlain = tf.grads(plain)(inputs, dy);
    return Math.max(diff(fast(...inputs), plain(...inputs)), ...gFast.map((g, i) => diff(g, gPlain[i])));
  });
}

function leakless<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const out = fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

describe("hand-written fast gradients equal TF.js's own (cpu backend)", () => {
  it.each([
    [3, [2, 6, 5, 3], 4],
    [1, [3, 4, 4, 2], 5],
    [5, [1, 7, 6, 2], 3],
  ] as const)('conv2dSame, kernel %i, x %j, %i output channels: value, dx, dw, db', (k, xShape, co) => {
    const err = leakless(() => {
      const x = rand([...xShape]);
      const w = rand([k, k, xShape[3], co]);
      const b = rand([co]);
      const e = compare(
        (xx, ww, bb) => conv2dSame(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D),
        (xx, ww, bb) => tf.add(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'), bb),
        [x, w, b],
      );
      tf.dispose([x, w, b]);
      return e;
    });
    expect(err).toBeLessThan(1e-4);
  });

  it('convFilterGrad is the filter gradient of a same-padded conv', () => {
    const err = leakless(() =>
      tf.tidy(() => {
        const x = rand([2, 5, 6, 3]) as tf.Tensor4D;
        const dy = rand([2, 5, 6, 4]) as tf.Tensor4D;
        const w = rand([3, 3, 3, 4]) as tf.Tensor4D;
        const ref = tf.grad((ww: tf.Tensor) => tf.conv2d(x, ww as tf.Tensor4D, 1, 'same'))(w, dy);
        return tf.max(tf.abs(tf.sub(convFilterGrad(x, dy, 3), ref))).dataSync()[0];
      }),
    );
    expect(err).toBeLessThan(1e-4);
  });

  it.each([
    [
      'dense: value, dx, dW, db',
      [[5, 7], [7, 3], [3]],
      (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
      (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    ],
    [
      'batchMatMul: value, da, db',
      [
        [3, 4, 6],
        [3, 6, 5],
      ],
      (a: tf.Tensor, b: tf.Tensor) => batchMatMul(a as tf.Tensor3D, b as tf.Tensor3D),
      (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D),
    ],
    [
      'concatChannels: value and the split of the gradient',
      [
        [2, 3, 4, 2],
        [2, 3, 4, 5],
      ],
      (a: tf.Tensor, b: tf.Tensor) => concatChannels(a as tf.Tensor4D, b as tf.Tensor4D),
      (a: tf.Tensor, b: tf.Tensor) => tf.concat([a, b], 3),
    ],
  ] as [string, number[][], (...xs: tf.Tensor[]) => tf.Tensor, (...xs: tf.Tensor[]) => tf.Tensor][])('%s', (_, shapes, fast, plain) => {
    const err = leakless(() => {
      const ins = shapes.map(rand);
      const e = compare(fast, plain, ins);
      tf.dispose(ins);
      return e;
    });
    expect(err).toBeLessThan(1e-4);
  });

  it('refuses even and non-square kernels', () => {
    const x = rand([1, 4, 4, 1]);
    const w = rand([2, 2, 1, 1]);
    const b = rand([1]);
    expect(() => conv2dSame(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D)).toThrow(/square and odd/);
    tf.dispose([x, w, b]);
  });
});
