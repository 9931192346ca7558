/**
 * Sinusoidal timestep embedding (Vaswani et al. / DDPM): for frequency k = 0..D/2-1,
 * w_k = 10000^(-k/(D/2-1)), emb = [sin(t w_k) ..., cos(t w_k) ...].
 * Computed in JS (it has no trainable part), so every backend sees identical numbers.
 */
export function timestepEmbedding(t: readonly number[], dim: number): Float32Array {
  const half = dim / 2;
  const out = new Float32Array(t.length * dim);
  const denom = Math.max(half - 1, 1);
  for (let b = 0; b < t.length; b++) {
    for (let k = 0; k < half; k++) {
      const arg = t[b] * Math.exp((-Math.log(10000) * k) / denom);
      out[b * dim + k] = Math.sin(arg);
      out[b * dim + half + k] = Math.cos(arg);
    }
  }
  return out;
}
