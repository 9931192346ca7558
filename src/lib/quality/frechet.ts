import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Mean and covariance (unbiased, n - 1) of feature rows [n, d]. */
export interface GaussianStats {
  mean: Float64Array;
  cov: Matrix;
  n: number;
}

export function gaussianStats(features: Float32Array | Float64Array, n: number, d: number): GaussianStats {
  if (n < 2) throw new RangeError('need at least 2 feature rows');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j] / n;
  const centred = new Matrix(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred.set(i, j, features[i * d + j] - mean[j]);
  const cov = centred
    .transpose()
    .mmul(centred)
    .div(n - 1);
  return { mean, cov, n };
}

/** Symmetric PSD square root through the eigen-decomposition (negative round-off clipped). */
function sqrtPsd(m: Matrix): Matrix {
  const e = new EigenvalueDecomposition(m, { assumeSymmetric: true });
  const v = e.eigenvectorMatrix;
  const s = Matrix.diag(e.realEigenvalues.map((x) => Math.sqrt(Math.max(x, 0))));
  return v.mmul(s).mmul(v.transpose());
}

/**
 * Fréchet distance between Gaussians (as in FID):
 *   |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr((S1^1/2 S2 S1^1/2)^1/2)
 * using the symmetric form, whose eigenvalues are those of S1 S2 but stay real.
 */
export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  let d2 = 0;
  for (let i = 0; i < a.mean.length; i++) d2 += (a.mean[i] - b.mean[i]) ** 2;
  const r = sqrtPsd(a.cov);
  const inner = r.mmul(b.cov).mmul(r);
  const e = new EigenvalueDecomposition(inner.add(inner.transpose()).div(2), { assumeSymmetric: true });
  const trSqrt = e.realEigenvalues.reduce((s, x) => s + Math.sqrt(Math.max(x, 0)), 0);
  return d2 + a.cov.trace() + b.cov.trace() - 2 * trSqrt;
}
