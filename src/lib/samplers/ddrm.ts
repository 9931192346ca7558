import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, ParameterError, ShapeError } from '../errors.js';
import { allFinite, firstNonFinite } from './nonFinite.js';
import type { EpsModel } from '../models/epsModel.js';
import type { LinearOperator } from '../operators/linearOperator.js';
import { checkBatch } from '../operators/linearOperator.js';
import { linearSchedule, type DiffusionSchedule } from '../schedule/linearSchedule.js';
import { stepCoefficients } from '../schedule/stepCoefficients.js';
import type { SerialResult } from './serialChain.js';
import { OwnedTensors } from '../tensors/ownedTensors.js';

export interface DdrmInputs {
  model: EpsModel;
  operator: LinearOperator;
  y: tf.Tensor;
  /** Standard normal noise [B, H, W, C]: x_T is built from it (and from y, as DDRM does). */
  xT: tf.Tensor4D;
  /** Fresh standard normal noise per step [T, B, H, W, C] (DDRM draws new noise every step). */
  z: tf.Tensor;
  T: number;
  /** Measurement noise level sigma_y of y (pixel scale [-1, 1]). */
  sigmaY: number;
  /** eta (DDRM's eta_A = eta_C, default 0.85) and eta_b (default 1). */
  eta?: number;
  etaB?: number;
  schedule?: DiffusionSchedule;
}

/**
 * DDRM (Kawar et al., NeurIPS 2022), serial, in the operator's spectral coordinates
 * x̄ = V^T x, ȳ = S^+ U^T y, with sigma_t = sqrt((1 - abar_t) / abar_t) and, per step t -> s:
 *   null space (s_i = 0)           x̄_s = x̄0 + sqrt(1-eta²) σ_s ē + eta σ_s z̄
 *   noisier than y (s_i σ_s >= σ_y) x̄_s = eta_b ȳ + (1-eta_b) x̄0 + sqrt(σ_s² - σ_y² eta_b² / s_i²) z̄
 *   less noisy (s_i σ_s < σ_y)      x̄_s = x̄0 + sqrt(1-eta²) σ_s s_i (ȳ - x̄0) / σ_y + eta σ_s z̄
 *   x_s = sqrt(abar_s) V x̄_s,   x̄0 = V^T x0|t,  ē = V^T eps,  z̄ = V^T z_k
 * x_T = sqrt(abar_T) V(ȳ + sqrt(σ_T² - σ_y²/s²) z̄ on observed components with s σ_T > σ_y, σ_T z̄ elsewhere).
 * Convention: ties (s σ_s = σ_y, so every observed component at the last step when σ_y = 0) take
 * the "noisier" branch; with eta_b = 1 and σ_y = 0 the result then satisfies A x0 = y exactly. The
 * reference code sends them to the null-space branch (its last step returns the network's x̄0).
 */
export async function ddrm(inputs: DdrmInputs): Promise<SerialResult> {
  const { model, operator: op, y, xT, z, T, sigmaY } = inputs;
  const eta = inputs.eta ?? 0.85;
  const etaB = inputs.etaB ?? 1;
  if (!op.spectral) throw new ParameterError(`ddrm: operator '${op.kind}' has no spectral (SVD) view`);
  if (!(eta >= 0 && eta <= 1) || !(etaB >= 0 && etaB <= 1))
    throw new ParameterError(`ddrm: eta and eta_b must lie in [0, 1], got ${eta}, ${etaB}`);
  if (!(sigmaY >= 0)) throw new ParameterError(`ddrm: sigmaY must be >= 0, got ${sigmaY}`);
  checkBatch(xT, op.imageShape, 'ddrm', 'xT');
  checkBatch(y, op.measurementShape, 'ddrm', 'y');
  const B = xT.shape[0];
  if (z.rank !== 5 || z.shape[0] !== T || z.shape[1] !== B)
    throw new ShapeError(`ddrm: z must have shape [${T}, ${B}, ${op.imageShape.join(', ')}], got [${z.shape.join(', ')}]`);
  const c = stepCoefficients(inputs.schedule ?? linearSchedule(), { T });
  const sigmaOf = (sqrtAbar: number) => Math.sqrt(Math.max(0, 1 - sqrtAbar * sqrtAbar)) / sqrtAbar;
  const start = performance.now();
  const view = op.spectral();
  const constants = new OwnedTensors();
  let x: tf.Tensor4D | null = null;
  try {
    const k = tf.tidy(() => {
      const s = view.singulars;
      const obs = tf.cast(tf.greater(s, 0), 'float32');
      const sInv = tf.div(obs, tf.add(s, tf.sub(1, obs)));
      return { obs, sInv, ybar: tf.mul(view.Ut(y), sInv) };
    });
    constants.keepAll(Object.values(k));
    const stepNoise = (j: number) => tf.tidy(() => view.Vt(tf.reshape(tf.slice(z, [j], [1]), [B, ...op.imageShape])));
    x = tf.tidy(() => {
      const sT = sigmaOf(c.sqrtAbarT[0]);
      const zb = view.Vt(xT);
      const large = tf.mul(k.obs, tf.cast(tf.greater(tf.mul(view.singulars, sT), sigmaY), 'float32'));
      const rest = tf.sqrt(tf.relu(tf.sub(sT * sT, tf.mul(tf.square(tf.mul(k.sInv, large)), sigmaY * sigmaY))));
      return tf.mul(view.V(tf.add(tf.mul(large, k.ybar), tf.mul(rest, zb))), c.sqrtAbarT[0]) as tf.Tensor4D;
    });
    for (let j = 0; j < T; j++) {
      const prev: tf.Tensor4D = x;
      const next = tf.tidy(() => {
        const sS = sigmaOf(c.sqrtAbarS[j]);
        const eps = model.eps(prev, new Array<number>(B).fill(c.t[j]));
        const x0 = tf.div(tf.sub(prev, tf.mul(eps, c.sqrtOneMinusAbarT[j])), c.sqrtAbarT[j]);
        const x0b = view.Vt(x0);
        const eb = view.Vt(eps);
        const zb = stepNoise(j);
        const before = tf.mul(k.obs, tf.cast(tf.greaterEqual(tf.mul(view.singulars, sS), sigmaY), 'float32'));
        const after = tf.sub(k.obs, before);
        const nul = tf.sub(1, k.obs);
        const keep = Math.sqrt(1 - eta * eta) * sS;
        const nullPart = tf.add(tf.add(x0b, tf.mul(eb, keep)), tf.mul(zb, eta * sS));
        const beforeNoise = tf.sqrt(tf.relu(tf.sub(sS * sS, tf.mul(tf.square(k.sInv), sigmaY * sigmaY * etaB * etaB))));
        const beforePart = tf.add(tf.add(tf.mul(k.ybar, etaB), tf.mul(x0b, 1 - etaB)), tf.mul(beforeNoise, zb));
        let xb = tf.add(tf.mul(nul, nullPart), tf.mul(before, beforePart));
        if (sigmaY > 0) {
          const pull = tf.mul(tf.mul(view.singulars, keep / sigmaY), tf.sub(k.ybar, x0b));
          xb = tf.add(xb, tf.mul(after, tf.add(tf.add(x0b, pull), tf.mul(zb, eta * sS))));
        }
        return tf.mul(view.V(xb), c.sqrtAbarS[j]) as tf.Tensor4D;
      });
      prev.dispose();
      x = next;
    }
    if (!(await allFinite(x))) {
      const input = await firstNonFinite([
        ['y (the measurement)', y],
        ['x_T (the initial noise)', xT],
        ['z (the step noise)', z],
      ]);
      throw new NonFiniteError(
        `DDRM produced NaN or Inf in x0; first non-finite quantity: ${input ?? `none of its inputs, so the prior ${model.name}'s eps or a spectral step overflowed`}`,
      );
    }
    return { x0: x, nfe: T, sequentialDepth: T, wallMs: performance.now() - start };
  } catch (e) {
    x?.dispose();
    throw e;
  } finally {
    constants.dispose();
    view.dispose();
  }
}
