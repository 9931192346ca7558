import * as tf from '@tensorflow/tfjs-core';
/** Named parameter tensors (a model's, or a gradient of them). */
type Params = Record<string, tf.Tensor>;

/** Adam (Kingma & Ba 2015) with bias correction; moments live next to the parameters by name. */
export interface AdamState {
  /** Number of updates applied so far (t in the paper). */
  t: number;
  m: Params;
  v: Params;
}

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export function createAdamState(p: Params): AdamState {
  const m: Params = {};
  const v: Params = {};
  for (const [k, t] of Object.entries(p)) {
    m[k] = tf.zerosLike(t);
    v[k] = tf.zerosLike(t);
  }
  return { t: 0, m, v };
}

/**
 * One Adam update. Replaces the tensors inside `params` and `state` in place and disposes the
 * old ones (the records are the owners); `grads` stay owned by the caller.
 */
export function adamUpdate(params: Params, grads: Params, state: AdamState, o: AdamOptions): void {
  const b1 = o.beta1 ?? 0.9;
  const b2 = o.beta2 ?? 0.999;
  const eps = o.eps ?? 1e-8;
  state.t += 1;
  const lrT = (o.lr * Math.sqrt(1 - b2 ** state.t)) / (1 - b1 ** state.t);
  for (const k of Object.keys(params)) {
    const g = grads[k];
    if (!g) throw new Error(`adamUpdate: no gradient for '${k}'`);
    const [p1, m1, v1] = tf.tidy(() => {
      const m = tf.add(tf.mul(state.m[k], b1), tf.mul(g, 1 - b1));
      const v = tf.add(tf.mul(state.v[k], b2), tf.mul(tf.square(g), 1 - b2));
      const p = tf.sub(params[k], tf.mul(tf.div(m, tf.add(tf.sqrt(v), eps)), lrT));
      return [p, m, v];
    });
    params[k].dispose();
    state.m[k].dispose();
    state.v[k].dispose();
    params[k] = p1;
    state.m[k] = m1;
    state.v[k] = v1;
  }
}
