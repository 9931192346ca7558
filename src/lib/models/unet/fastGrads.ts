import * as tf from '@tensorflow/tfjs-core';
import '../../tensors/registerGradients.js';

/**
 * Convolution / matmul with gradients expressed through FAST forward kernels.
 *
 * Why: on the wasm backend Conv2DBackpropFilter is not registered, Conv2DBackpropInput runs at
 * ~4 GFLOP/s and matMul with transposeA at ~3 GFLOP/s, while forward conv2d and plain matMul
 * run at ~40 GFLOP/s (docs/measured.md). So:
 *  - input grad of a stride-1 'same' conv = forward conv of dy with the spatially flipped,
 *    in/out-transposed kernel;
 *  - filter grad = a forward conv with the batch axis as channels (convFilterGrad below);
 *  - matmul grads transpose explicitly instead of asking matMul for transposeA.
 * Every function here is checked against TF.js's own gradients on the cpu backend in tests.
 */

/** tf.customGrad's typing wants a variadic function; ours name their inputs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const asCustom = (f: (...args: any[]) => { value: tf.Tensor; gradFunc: (dy: any, saved: tf.Tensor[]) => tf.Tensor[] }) =>
  f as unknown as Parameters<typeof tf.customGrad>[0];

/** Optional multiply-accumulate counter; forward passes add to it (used for FLOPs/image). */
export interface MacCounter {
  macs: number;
}

/**
 * Filter gradient of a stride-1 'same' conv as ONE forward conv2d: with x as [Ci,H,W,B] (the
 * batch becomes the channel axis) and dy as a [H,W,B,Co] filter, conv2d with padding p gives
 * out[ci,i,j,co] = sum_{b,h,w} xpad[b,h+i,w+j,ci] dy[b,h,w,co] = dW[i,j,ci,co].
 * Measured on wasm, 1 thread, x [32,28,28,64], Co 32: 48 ms, against 350 ms for an
 * im2col built from pad + 9 slices + matMul (slices and pads dominate there).
 */
export function convFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor4D {
  return tf.tidy(() => {
    const p = (k - 1) / 2;
    const xt = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyf = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const out = tf.conv2d(xt, dyf, 1, [[0, 0], [p, p], [p, p], [0, 0]]); // [Ci,k,k,Co]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

/** 'same' stride-1 conv with bias: x [B,H,W,Ci], w [k,k,Ci,Co], b [Co]. */
export function conv2dSame(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  b: tf.Tensor1D,
  counter?: MacCounter,
): tf.Tensor4D {
  const [k, k2, ci, co] = w.shape;
  if (k !== k2 || k % 2 !== 1) throw new Error(`conv2dSame: kernel ${k}x${k2} must be square and odd`);
  if (counter) counter.macs += x.shape[0] * x.shape[1] * x.shape[2] * k * k * ci * co;
  const f = tf.customGrad(asCustom((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    const x4 = xi as tf.Tensor4D;
    const w4 = wi as tf.Tensor4D;
    save([x4, w4]);
    const value = tf.add(tf.conv2d(x4, w4, 1, 'same'), bi) as tf.Tensor4D;
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const dy4 = dy as tf.Tensor4D;
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const wFlipT = tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
      const dx = tf.conv2d(dy4, wFlipT, 1, 'same');
      const dw = convFilterGrad(xs, dy4, k);
      const db = tf.sum(dy4, [0, 1, 2]);
      return [dx, dw, db];
    };
    return { value, gradFunc };
  }));
  return f(x, w, b) as tf.Tensor4D;
}

/** y = x W + b for x [N, I], W [I, O]; dW uses an explicit transpose (no transposeA). */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, counter?: MacCounter): tf.Tensor2D {
  if (counter) counter.macs += x.shape[0] * w.shape[0] * w.shape[1];
  const f = tf.customGrad(asCustom((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([xi, wi]);
    const value = tf.add(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), bi) as tf.Tensor2D;
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const d = dy as tf.Tensor2D;
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const dx = tf.matMul(d, tf.transpose(ws));
      const dw = tf.matMul(tf.transpose(xs), d);
      return [dx, dw, tf.sum(d, 0)];
    };
    return { value, gradFunc };
  }));
  return f(x, w, b) as tf.Tensor2D;
}

/** Batched a [B,M,K] x b [B,K,N] with explicit-transpose gradients. */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, counter?: MacCounter): tf.Tensor3D {
  if (counter) counter.macs += a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2];
  const f = tf.customGrad(asCustom((ai: tf.Tensor, bi: tf.Tensor, save: tf.GradSaveFunc) => {
    save([ai, bi]);
    const value = tf.matMul(ai as tf.Tensor3D, bi as tf.Tensor3D);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const d = dy as tf.Tensor3D;
      const [as, bs] = saved as [tf.Tensor3D, tf.Tensor3D];
      return [tf.matMul(d, tf.transpose(bs, [0, 2, 1])), tf.matMul(tf.transpose(as, [0, 2, 1]), d)];
    };
    return { value, gradFunc };
  }));
  return f(a, b) as tf.Tensor3D;
}

/** [c, parts] 0/1 matrix that picks columns [offset, offset + width) out of c. */
function selector(c: number, offset: number, width: number): tf.Tensor2D {
  const m = new Float32Array(c * width);
  for (let j = 0; j < width; j++) m[(offset + j) * width + j] = 1;
  return tf.tensor2d(m, [c, width]);
}

/**
 * Channel concat of two NHWC tensors whose gradient splits dy with matMuls against 0/1
 * selector matrices (exact: each output is one input times 1 plus zeros). wasm's SplitV on the
 * channel axis took ~70 ms for [32,28,28,96]; the two matMuls take a fraction of that.
 */
export function concatChannels(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  const f = tf.customGrad(asCustom((ai: tf.Tensor, bi: tf.Tensor) => {
    const ca = ai.shape[3]!;
    const cb = bi.shape[3]!;
    const value = tf.concat([ai as tf.Tensor4D, bi as tf.Tensor4D], 3);
    const gradFunc = (dy: tf.Tensor) => {
      const [n, h, w] = dy.shape;
      const d2 = tf.reshape(dy, [n * h * w, ca + cb]) as tf.Tensor2D;
      const sa = selector(ca + cb, 0, ca);
      const sb = selector(ca + cb, ca, cb);
      const ga = tf.reshape(tf.matMul(d2, sa), [n, h, w, ca]);
      const gb = tf.reshape(tf.matMul(d2, sb), [n, h, w, cb]);
      return [ga, gb];
    };
    return { value, gradFunc };
  }));
  return f(a, b) as tf.Tensor4D;
}
