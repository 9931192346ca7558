import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/**
 * A dense matrix made consistent with its thresholded pseudo-inverse.
 *
 * Singular values below `threshold` are set to zero in the operator itself (`effective`), not only
 * in its pseudo-inverse. That keeps the Penrose laws exact (A A+ A = A, A+ A A+ = A+) and A+A an
 * orthogonal projector, which the fixed-point closed form needs. `truncationError` (spectral norm
 * of M - effective) says how far the effective operator is from the one requested.
 */
export interface TruncatedMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly effective: Matrix;
  readonly pinv: Matrix;
  readonly singularValues: number[];
  readonly rank: number;
  readonly truncationError: number;
}

export function truncatedSvd(m: Matrix, threshold: number): TruncatedMatrix {
  const svd = new SingularValueDecomposition(m, { autoTranspose: true });
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const sv = svd.diagonal;
  const k = sv.length;
  const keep = sv.map((s) => s >= threshold && s > 0);
  const Sk = Matrix.zeros(k, k);
  const SkInv = Matrix.zeros(k, k);
  let truncationError = 0;
  sv.forEach((s, i) => {
    if (keep[i]) {
      Sk.set(i, i, s);
      SkInv.set(i, i, 1 / s);
    } else {
      truncationError = Math.max(truncationError, s);
    }
  });
  const Uk = U.subMatrix(0, U.rows - 1, 0, k - 1);
  const Vk = V.subMatrix(0, V.rows - 1, 0, k - 1);
  return {
    rows: m.rows,
    cols: m.columns,
    effective: Uk.mmul(Sk).mmul(Vk.transpose()),
    pinv: Vk.mmul(SkInv).mmul(Uk.transpose()),
    singularValues: sv,
    rank: keep.filter(Boolean).length,
    truncationError,
  };
}

/**
 * The same truncation as a full spectral factorisation M_eff = L diag(s) V^T with V square
 * (cols x cols, orthogonal: it also spans the null space), L [rows, cols] and s of length cols
 * (0 for dropped and missing singular values). Wide matrices are padded with zero rows to square
 * first, so V is complete. For DDRM's spectral view of separable operators.
 */
export function spectralFactors(m: Matrix, threshold: number): { L: Matrix; s: number[]; V: Matrix } {
  const n = m.columns;
  const square = m.rows < n ? Matrix.zeros(n, n).setSubMatrix(m, 0, 0) : m;
  const svd = new SingularValueDecomposition(square, { autoTranspose: true });
  const s = svd.diagonal.map((v) => (v >= threshold && v > 0 ? v : 0));
  const L = svd.leftSingularVectors.subMatrix(0, m.rows - 1, 0, n - 1);
  return { L, s, V: svd.rightSingularVectors };
}
