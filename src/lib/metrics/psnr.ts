import * as tf from '@tensorflow/tfjs-core';

/** PSNR in dB for images in [-1, 1] (peak-to-peak 2), over all values of the two tensors. */
export function psnr(a: tf.Tensor, b: tf.Tensor): number {
  const mse = tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))).dataSync()[0]);
  return 10 * Math.log10(4 / mse);
}
