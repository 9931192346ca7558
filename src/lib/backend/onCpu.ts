import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs set-up code on the cpu backend when webgpu is active. Parts of the library validate inputs
 * with dataSync(), and TF.js's synchronous WebGPU read-back (an OffscreenCanvas copy) breaks the
 * GPU instance in Chromium workers ("A valid external Instance reference no longer exists", and it
 * reads zeros first). Tensors made here move to the GPU on first use; TF.js does that by itself.
 */
export async function onCpu<T>(f: () => T): Promise<T> {
  const prev = tf.getBackend();
  if (prev !== 'webgpu') return f();
  await tf.setBackend('cpu');
  try {
    return f();
  } finally {
    await tf.setBackend(prev);
  }
}
