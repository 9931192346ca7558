import * as tf from '@tensorflow/tfjs-core';
import { Matrix, solve } from 'ml-matrix';
import { ParameterError } from '../../errors.js';
import { iterate } from './iterationLoop.js';
import type { AndersonSettings, FixedPointMap, SolveOptions, SolveResult } from './solverTypes.js';
import { ANDERSON_DEFAULTS } from './solverDefaults.js';

/**
 * 'state': ONE mixing problem for the whole stacked state. 'row': one per row (per timestep), as
 * the DeqIR reference does by treating timesteps as the batch axis. 'row-upstream' (ParaTAA's
 * triangular Anderson, Tang et al. 2024): one per row and per member of axis 1 (the images of a
 * batch, so a batch gives each image the weights it would get alone), where row r's weights
 * minimise the residual of rows 0..r together, everything row r depends on when the map is
 * lower-triangular.
 */
export type MixingGroups = 'state' | 'row' | 'row-upstream';

/**
 * Anderson acceleration (type II, as in the DEQ reference code): keep the last m iterates X_i and
 * their images F_i, find mixing weights alpha (sum 1) minimising ||sum alpha_i (F_i - X_i)||^2 +
 * lambda ||alpha||^2, and step to beta * sum alpha_i F_i + (1 - beta) * sum alpha_i X_i.
 *
 * `groups` says which residuals one set of weights is fitted to (MixingGroups); ParaTAA
 * (paraTaa.ts) is the 'row-upstream' grouping on a triangular map.
 */
export async function anderson(
  F: FixedPointMap,
  x0: tf.Tensor,
  settings: Omit<AndersonSettings, 'kind'> & SolveOptions & { groups?: MixingGroups } = {},
): Promise<SolveResult> {
  const m = settings.m ?? ANDERSON_DEFAULTS.m;
  const lambda = settings.lambda ?? ANDERSON_DEFAULTS.lambda;
  const beta = settings.beta ?? ANDERSON_DEFAULTS.beta;
  if (!Number.isInteger(m) || m < 1) throw new ParameterError(`anderson: history m must be an integer >= 1, got ${m}`);
  if (!(lambda >= 0)) throw new ParameterError(`anderson: lambda must be >= 0, got ${lambda}`);
  if (!(beta > 0 && beta <= 1)) throw new ParameterError(`anderson: beta must lie in (0, 1], got ${beta}`);
  const grouping = settings.groups ?? 'state';
  const perRow = grouping !== 'state';
  const upstream = grouping === 'row-upstream';
  const rows = x0.shape[0];
  const members = upstream && x0.rank > 1 ? (x0.shape[1] ?? 1) : 1;
  const groups = perRow ? rows * members : 1;
  const xs: tf.Tensor[] = [];
  const fs: tf.Tensor[] = [];
  // On a triangular map the loop copies the finished rows of F(X) over the mixed iterate.
  const lowerTriangular = settings.lowerTriangular === true || settings.triangular === true;
  try {
    return await iterate(F, x0, { ...settings, lowerTriangular }, async (x, fx) => {
      xs.push(tf.clone(x));
      fs.push(tf.clone(fx));
      if (xs.length > m) {
        xs.shift()!.dispose();
        fs.shift()!.dispose();
      }
      const n = xs.length;
      const gram = tf.tidy(() => {
        const G = tf.reshape(tf.stack(xs.map((xi, i) => tf.sub(fs[i], xi))), [n, groups, -1]);
        const Gt = tf.transpose(G, [1, 0, 2]);
        return tf.matMul(Gt, Gt, false, true);
      });
      const g = await gram.data();
      gram.dispose();
      // Groups are laid out [rows, members]: the prefix sum over rows adds the block `members` groups back.
      const stride = members * n * n;
      if (upstream) for (let i = stride; i < g.length; i++) g[i] += g[i - stride];
      const alpha = new Float32Array(groups * n);
      for (let r = 0; r < groups; r++) {
        const w = mixingWeights(g.subarray(r * n * n, (r + 1) * n * n), n, lambda);
        alpha.set(w, r * n);
      }
      // Weights [groups, n, 1, ...] broadcast over iterates stacked as [rows, n, ...]: one alpha per
      // row (per-row groupings) or one shared by all rows.
      return tf.tidy(() => {
        const lead = members > 1 ? [rows, members] : [groups];
        const a = tf.tensor(alpha, [...lead, n, ...new Array<number>(x.rank - lead.length).fill(1)]);
        const combine = (ts: tf.Tensor[]) => tf.sum(tf.mul(a, tf.stack(ts, lead.length)), lead.length);
        return beta === 1 ? combine(fs) : tf.add(tf.mul(combine(fs), beta), tf.mul(combine(xs), 1 - beta));
      });
    });
  } finally {
    [...xs, ...fs].forEach((t) => t.dispose());
  }
}

/** alpha = (H + lambda I)^-1 1 / (1^T (H + lambda I)^-1 1); falls back to the newest iterate if singular. */
export function mixingWeights(gram: ArrayLike<number>, n: number, lambda: number): Float64Array {
  const H = new Matrix(n, n);
  let scale = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) H.set(i, j, gram[i * n + j]);
  for (let i = 0; i < n; i++) {
    H.set(i, i, H.get(i, i) + lambda);
    scale = Math.max(scale, Math.abs(H.get(i, i)));
  }
  const out = new Float64Array(n);
  if (n === 1 || scale === 0) {
    out[n - 1] = 1;
    return out;
  }
  let w: number[];
  try {
    w = solve(H, Matrix.ones(n, 1)).getColumn(0);
  } catch {
    // ml-matrix throws on an exactly singular system (e.g. lambda 0 and repeated residuals).
    out[n - 1] = 1;
    return out;
  }
  const sum = w.reduce((a, b) => a + b, 0);
  if (!w.every(Number.isFinite) || !Number.isFinite(sum) || Math.abs(sum) < 1e-300) {
    out[n - 1] = 1;
    return out;
  }
  w.forEach((v, i) => (out[i] = v / sum));
  return out;
}
