import type * as tf from '@tensorflow/tfjs-core';

/** Wall time of `f` until its result is on the host, ms: a read-back ends every GPU timing. Disposes the result. */
export async function timeToHost(f: () => tf.Tensor): Promise<number> {
  const t0 = performance.now();
  const out = f();
  await out.data();
  const ms = performance.now() - t0;
  out.dispose();
  return ms;
}
