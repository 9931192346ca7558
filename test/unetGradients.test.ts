import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { batchMatMul, concatChannels, conv2dSame, convFilterGrad, dense } from '../src/lib/models/unet/fastGrads.js';
import { gaussianArray } from '../src/lib/random/prng.js';

// Checked on the cpu backend (the reference) against TF.js's own gradients: tf.conv2d's
// registered gradient (Conv2DBackpropInput / Conv2DBackpropFilter) and tf.matMul's.

const randn = (shape: number[], seed: number) => tf.tensor(gaussianArray(shape.reduce((a, b) => a * b, 1), seed), shape);

function maxAbs(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('fast conv / matmul gradients', () => {
  it.each([
    [2, 6, 5, 3, 4, 3],
    [3, 7, 7, 4, 2, 3],
    [2, 5, 4, 3, 5, 1],
  ])('conv2dSame on [%i,%i,%i,%i] with %i filters (k=%i) matches tf.conv2d gradients within 1e-4', (b, h, w, ci, co, k) => {
    tf.tidy(() => {
      const x = randn([b, h, w, ci], 1);
      const wt = randn([k, k, ci, co], 2);
      const bias = randn([co], 3);
      const dy = randn([b, h, w, co], 4);
      const ours = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        conv2dSame(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D),
      )([x, wt, bias], dy);
      const ref = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.add(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 1, 'same'), bb),
      )([x, wt, bias], dy);
      const fwd = maxAbs(conv2dSame(x as tf.Tensor4D, wt as tf.Tensor4D, bias as tf.Tensor1D), tf.add(tf.conv2d(x as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same'), bias));
      expect(fwd).toBe(0);
      for (let i = 0; i < 3; i++) {
        expect(ours[i].shape).toEqual(ref[i].shape);
        expect(maxAbs(ours[i], ref[i])).toBeLessThanOrEqual(1e-4);
      }
      // The filter gradient is not trivially zero (the check above would then be vacuous).
      expect(tf.max(tf.abs(ref[1])).dataSync()[0]).toBeGreaterThan(0.1);
    });
  });

  it('convFilterGrad equals the direct sum over batch and pixels', () => {
    tf.tidy(() => {
      const x = randn([2, 4, 3, 2], 5) as tf.Tensor4D;
      const dy = randn([2, 4, 3, 3], 6) as tf.Tensor4D;
      const got = convFilterGrad(x, dy, 3).arraySync() as number[][][][];
      const xs = x.arraySync();
      const ds = dy.arraySync();
      let worst = 0;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++)
          for (let c = 0; c < 2; c++)
            for (let o = 0; o < 3; o++) {
              let s = 0;
              for (let b = 0; b < 2; b++)
                for (let h = 0; h < 4; h++)
                  for (let w = 0; w < 3; w++) {
                    const hh = h + i - 1;
                    const ww = w + j - 1;
                    if (hh >= 0 && hh < 4 && ww >= 0 && ww < 3) s += xs[b][hh][ww][c] * ds[b][h][w][o];
                  }
              worst = Math.max(worst, Math.abs(s - got[i][j][c][o]));
            }
      expect(worst).toBeLessThan(1e-5);
    });
  });

  it('dense and batchMatMul match tf.matMul gradients within 1e-4', () => {
    tf.tidy(() => {
      const x = randn([5, 4], 7);
      const w = randn([4, 3], 8);
      const b = randn([3], 9);
      const dy = randn([5, 3], 10);
      const ours = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D))([x, w, b], dy);
      const ref = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb))([x, w, b], dy);
      ours.forEach((g, i) => expect(maxAbs(g, ref[i])).toBeLessThanOrEqual(1e-4));
      const p = randn([2, 3, 4], 11);
      const q = randn([2, 4, 5], 12);
      const dz = randn([2, 3, 5], 13);
      const o2 = tf.grads((pp: tf.Tensor, qq: tf.Tensor) => batchMatMul(pp as tf.Tensor3D, qq as tf.Tensor3D))([p, q], dz);
      const r2 = tf.grads((pp: tf.Tensor, qq: tf.Tensor) => tf.matMul(pp as tf.Tensor3D, qq as tf.Tensor3D))([p, q], dz);
      o2.forEach((g, i) => expect(maxAbs(g, r2[i])).toBeLessThanOrEqual(1e-4));
    });
  });
});

describe('concatChannels', () => {
  it('concatenates like tf.concat and splits the gradient exactly', () => {
    tf.tidy(() => {
      const a = randn([2, 3, 4, 5], 21) as tf.Tensor4D;
      const b = randn([2, 3, 4, 3], 22) as tf.Tensor4D;
      const dy = randn([2, 3, 4, 8], 23);
      expect(maxAbs(concatChannels(a, b), tf.concat([a, b], 3))).toBe(0);
      const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => concatChannels(x as tf.Tensor4D, y as tf.Tensor4D))([a, b], dy);
      const ref = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.concat([x, y], 3))([a, b], dy);
      expect(maxAbs(ours[0], ref[0])).toBe(0);
      expect(maxAbs(ours[1], ref[1])).toBe(0);
    });
  });
});
