import * as tf from '@tensorflow/tfjs-core';

/** PSNR in dB for images in [-1, 1] (peak-to-peak 2), over all values of the two tensors. */
export function psnr(a: tf.Tensor, b: tf.Tensor): number {
  return psnrOfMse(tf.tidy(() => meanSquaredError(a, b).dataSync()[0]));
}

/** The same without a synchronous read-back (safe on WebGPU in a worker). */
export async function psnrAsync(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const mse = meanSquaredError(a, b);
  try {
    return psnrOfMse((await mse.data())[0]);
  } finally {
    mse.dispose();
  }
}

const meanSquaredError = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))));
const psnrOfMse = (mse: number) => 10 * Math.log10(4 / mse);
