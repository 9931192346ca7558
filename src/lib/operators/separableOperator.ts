import * as tf from '@tensorflow/tfjs-core';
import { Matrix } from 'ml-matrix';
import { ShapeError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';
import type { SpectralView } from './spectralView.js';
import { spectralFactors, truncatedSvd } from './truncatedSvd.js';

const DEFAULT_SVD_THRESHOLD = 3e-2;

/** A y = R x C^T, for each image and channel. The 1-D matrices as row-major arrays of rows. */
export interface SeparableSpec {
  rows: number[][];
  cols: number[][];
  svdThreshold?: number;
  kind?: string;
  description?: string;
}

/**
 * The generic separable operator that blur and bicubic/average-pool super-resolution are built on.
 * Its Kronecker structure makes everything a pair of small matrix products:
 *   A = R ⊗ C,  A^T = R^T ⊗ C^T,  A+ = R+ ⊗ C+,  A+A = R+R ⊗ C+C,
 * with R and C truncated at the singular-value threshold (see truncatedSvd).
 * y layout: [N, H', W', C] with H' = rows of R, W' = rows of C.
 */
export function separableOperator(
  imageShape: ImageShape,
  spec: SeparableSpec,
): LinearOperator & {
  readonly rank: number;
  /** Largest singular value dropped from either 1-D factor (0 when nothing was truncated). */
  readonly truncationError: number;
  spectral(): SpectralView;
} {
  const [H, W, Ch] = imageShape;
  const kind = spec.kind ?? 'separable';
  const R = new Matrix(spec.rows);
  const C = new Matrix(spec.cols);
  if (R.columns !== H) throw new ShapeError(`${kind}: row matrix has ${R.columns} columns, image height is ${H}`);
  if (C.columns !== W) throw new ShapeError(`${kind}: column matrix has ${C.columns} columns, image width is ${W}`);
  const threshold = spec.svdThreshold ?? DEFAULT_SVD_THRESHOLD;
  const r = truncatedSvd(R, threshold);
  const c = truncatedSvd(C, threshold);
  const t = (m: Matrix) => tf.tensor2d(m.to2DArray());
  // Kept pre-transposed: products below use only plain matMul (transposed variants are slow on wasm).
  const k = tf.tidy(() => ({
    RT: t(r.effective.transpose()),
    CT: t(c.effective.transpose()),
    R: t(r.effective),
    C: t(c.effective),
    RpT: t(r.pinv.transpose()),
    CpT: t(c.pinv.transpose()),
    PrT: t(r.pinv.mmul(r.effective).transpose()),
    PcT: t(c.pinv.mmul(c.effective).transpose()),
  }));
  Object.values(k).forEach((v) => tf.keep(v));
  const outShape = [R.rows, C.rows, Ch] as const;

  /** Applies left (as its transpose LT [h, h']) along height and right (RT [w, w']) along width. */
  const apply = (x: tf.Tensor, LT: tf.Tensor2D, RTm: tf.Tensor2D): tf.Tensor4D =>
    tf.tidy(() => {
      const [n, h, w, ch] = x.shape;
      const h2 = LT.shape[1];
      const w2 = RTm.shape[1];
      const a = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * ch * h, w]);
      const b = tf.reshape(tf.matMul(a, RTm), [n * ch, h, w2]);
      const c2 = tf.reshape(tf.transpose(b, [0, 2, 1]), [n * ch * w2, h]);
      const d = tf.reshape(tf.matMul(c2, LT), [n, ch, w2, h2]);
      return tf.transpose(d, [0, 3, 2, 1]) as tf.Tensor4D;
    });

  return {
    kind,
    description: spec.description ?? `separable operator ${R.rows}x${H} ⊗ ${C.rows}x${W}`,
    imageShape,
    measurementShape: outShape,
    rank: r.rank * c.rank * Ch,
    truncationError: Math.max(r.truncationError, c.truncationError),
    A(x) {
      checkBatch(x, imageShape, kind, 'x');
      return apply(x, k.RT, k.CT);
    },
    AT(y) {
      checkBatch(y, outShape, kind, 'y');
      return apply(y, k.R, k.C);
    },
    Apinv(y) {
      checkBatch(y, outShape, kind, 'y');
      return apply(y, k.RpT, k.CpT);
    },
    project(x) {
      checkBatch(x, imageShape, kind, 'x');
      return apply(x, k.PrT, k.PcT);
    },
    // A = (L_r ⊗ L_c) diag(s_r ⊗ s_c) (V_r ⊗ V_c)^T: spectral coordinates are image-shaped.
    spectral() {
      const fr = spectralFactors(R, threshold);
      const fc = spectralFactors(C, threshold);
      const v = tf.tidy(() => ({
        Vr: t(fr.V),
        Vc: t(fc.V),
        VrT: t(fr.V.transpose()),
        VcT: t(fc.V.transpose()),
        Lr: t(fr.L),
        Lc: t(fc.L),
        LrT: t(fr.L.transpose()),
        LcT: t(fc.L.transpose()),
        s: tf.tensor4d(
          fr.s.flatMap((a) => fc.s.map((b) => a * b)),
          [1, H, W, 1],
        ),
        observed: tf.tensor4d(
          fr.s.flatMap((a) => fc.s.map((b) => (a * b > 0 ? 1 : 0))),
          [1, H, W, 1],
        ),
      }));
      Object.values(v).forEach((x) => tf.keep(x));
      return {
        spectralShape: imageShape,
        singulars: v.s,
        Vt: (x) => apply(x, v.Vr, v.Vc),
        V: (xbar) => apply(xbar, v.VrT, v.VcT),
        Ut: (y) => tf.tidy(() => tf.mul(apply(y, v.Lr, v.Lc), v.observed)),
        U: (ybar) => tf.tidy(() => apply(tf.mul(ybar, v.observed), v.LrT, v.LcT)),
        dispose: () => Object.values(v).forEach((x) => x.dispose()),
      };
    },
    dispose() {
      Object.values(k).forEach((v) => v.dispose());
    },
  };
}
