import * as tf from '@tensorflow/tfjs-core';
import type { PreparedRestoration } from '../samplers/preparedRestoration.js';
import { prepareRestoration } from '../samplers/preparedRestoration.js';
import { serialChain } from '../samplers/serialChain.js';

/**
 * A coarse-to-fine starting state (Parareal / SRDS family): run the serial chain with K << T steps
 * (K sequential network calls), then place every fine row s_k on the DDIM path of the latest coarse
 * prediction made above it: x_{s_k} = sqrt(abar_{s_k}) x0^ + sqrt(1 - abar_{s_k}) eps, with
 * x0^ = A+y + (I - A+A) x0|t. A start only (DDNM+'s noise-aware correction is not applied to it):
 * the solve that follows decides the result. Costs K calls of depth on top of the solver's.
 */
export async function coarseStart(task: PreparedRestoration, K: number): Promise<tf.Tensor> {
  const coarse = prepareRestoration({ ...task.inputs, sampling: { ...task.inputs.sampling, T: K } });
  const preds: { t: number; x0Hat: tf.Tensor; eps: tf.Tensor }[] = [];
  try {
    const r = await serialChain(coarse, {
      onStep: ({ t, eps, x0Pred }) => {
        preds.push({ t, eps: tf.clone(eps), x0Hat: tf.tidy(() => tf.sub(tf.add(task.Apy, x0Pred), task.inputs.operator.project(x0Pred))) });
      },
    });
    r.x0.dispose();
    const c = task.coeffs;
    return tf.tidy(() => {
      const rows: tf.Tensor[] = [];
      for (let k = 0; k < c.T; k++) {
        let i = 0;
        while (i + 1 < preds.length && preds[i + 1].t > c.s[k]) i++;
        const a = c.sqrtAbarS[k];
        rows.push(tf.add(tf.mul(preds[i].x0Hat, a), tf.mul(preds[i].eps, Math.sqrt(Math.max(0, 1 - a * a)))));
      }
      return tf.stack(rows);
    });
  } finally {
    preds.forEach((p) => [p.eps, p.x0Hat].forEach((t) => t.dispose()));
    coarse.dispose();
  }
}
