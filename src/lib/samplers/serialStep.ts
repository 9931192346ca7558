import * as tf from '@tensorflow/tfjs-core';
import type { PreparedRestoration } from './preparedRestoration.js';

/**
 * One DDNM (or, with measurement noise, DDNM+) step k from state x (pure; tensors returned are new).
 * yTerm = task.yTerm or, for gradients with respect to y, the same made from y: A+ y for DDNM,
 * task.ddnmPlus.measurementTerm(y) for DDNM+.
 */
export function serialStep(
  task: PreparedRestoration,
  k: number,
  x: tf.Tensor4D,
  yTerm: tf.Tensor,
): { eps: tf.Tensor4D; x0Pred: tf.Tensor4D; next: tf.Tensor4D } {
  const { model, operator: op } = task.inputs;
  const c = task.coeffs;
  return tf.tidy(() => {
    const eps = model.eps(x, new Array<number>(task.batch).fill(c.t[k]));
    const x0Pred = tf.div(tf.sub(x, tf.mul(eps, c.sqrtOneMinusAbarT[k])), c.sqrtAbarT[k]) as tf.Tensor4D;
    if (task.ddnmPlus) {
      const z = task.noiseAt(k);
      const one = (v: tf.Tensor) => tf.expandDims(v, 0);
      const next = task.ddnmPlus.next(k, 1, one(x0Pred), one(eps), z && one(tf.broadcastTo(z, x.shape)), yTerm);
      return { eps, x0Pred, next: tf.reshape(next, x.shape) as tf.Tensor4D };
    }
    const Apy = yTerm;
    const x0Hat = tf.sub(tf.add(Apy, x0Pred), op.project(x0Pred));
    let next = tf.add(tf.mul(x0Hat, c.sqrtAbarS[k]), tf.mul(eps, c.c2[k]));
    const z = task.noiseAt(k);
    if (z) next = tf.add(next, tf.mul(z, c.c1[k]));
    return { eps, x0Pred, next: next as tf.Tensor4D };
  });
}

/** The whole chain as one synchronous tensor function of (xT, y): what back-propagation differentiates. */
export function serialX0With(task: PreparedRestoration, xT: tf.Tensor4D, y: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const yTerm = task.ddnmPlus ? task.ddnmPlus.measurementTerm(y) : task.inputs.operator.Apinv(y);
    let x = xT;
    for (let k = 0; k < task.coeffs.T; k++) x = serialStep(task, k, x, yTerm).next;
    return x;
  });
}
