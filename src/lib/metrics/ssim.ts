import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../errors.js';
import { gaussianKernel } from '../operators/matrices1d.js';

/**
 * SSIM as Wang et al. 2004 (their ssim.m): 11x11 Gaussian window with sigma 1.5, 'valid' filtering,
 * K1 = 0.01, K2 = 0.03, on images mapped from [-1, 1] to [0, 1] (dynamic range L = 1); channels are
 * averaged. Returns one value per image of the batch [N, H, W, C] (H, W >= 11). The estimate `a` is
 * clipped to [-1, 1] first: the same rule as PSNR (metrics/psnr.ts).
 */
export function ssim(a: tf.Tensor4D, b: tf.Tensor4D): number[] {
  if (a.shape.join() !== b.shape.join()) throw new ShapeError(`ssim: shapes [${a.shape}] and [${b.shape}] differ`);
  const [N, H, W, C] = a.shape;
  if (H < 11 || W < 11) throw new ShapeError(`ssim: images must be at least 11x11 (the window), got ${H}x${W}`);
  const [C1, C2] = [0.01 ** 2, 0.03 ** 2];
  return tf.tidy(() => {
    const k = gaussianKernel(1.5, 11);
    const w = tf.tensor4d(
      k.flatMap((p) => k.map((q) => p * q)),
      [11, 11, 1, 1],
    );
    // Channels become batch entries so one depthwise-free conv serves them all.
    const toUnit = (x: tf.Tensor4D) => tf.reshape(tf.transpose(tf.div(tf.add(x, 1), 2), [0, 3, 1, 2]), [N * C, H, W, 1]) as tf.Tensor4D;
    const x = toUnit(tf.clipByValue(a, -1, 1));
    const y = toUnit(b);
    const f = (t: tf.Tensor) => tf.conv2d(t as tf.Tensor4D, w, 1, 'valid');
    const mx = f(x);
    const my = f(y);
    const sxx = tf.sub(f(tf.mul(x, x)), tf.mul(mx, mx));
    const syy = tf.sub(f(tf.mul(y, y)), tf.mul(my, my));
    const sxy = tf.sub(f(tf.mul(x, y)), tf.mul(mx, my));
    const num = tf.mul(tf.add(tf.mul(tf.mul(mx, my), 2), C1), tf.add(tf.mul(sxy, 2), C2));
    const den = tf.mul(tf.add(tf.add(tf.square(mx), tf.square(my)), C1), tf.add(tf.add(sxx, syy), C2));
    const perImage = tf.mean(tf.reshape(tf.div(num, den), [N, -1]), 1);
    return Array.from(perImage.dataSync());
  });
}
