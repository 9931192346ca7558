import * as tf from '@tensorflow/tfjs-core';
import { MAX_CS_BLOCK } from '../bounds.js';
import { ParameterError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { checkBatch, type LinearOperator } from './linearOperator.js';
import type { SpectralView } from './spectralView.js';

/** Rows of the Sylvester Hadamard matrix of order b (a power of two), reordered by sequency. */
function walshMatrix(b: number): number[][] {
  let h: number[][] = [[1]];
  while (h.length < b) h = [...h.map((r) => [...r, ...r]), ...h.map((r) => [...r, ...r.map((v) => -v)])];
  const changes = (r: number[]) => r.slice(1).filter((v, i) => v !== r[i]).length;
  return [...h].sort((p, q) => changes(p) - changes(q));
}

/**
 * Block compressed sensing with the 2-D Walsh–Hadamard basis: each b x b block of each channel is
 * expanded in the orthonormal basis w_i ⊗ w_j (sequency-ordered 1-D Walsh rows) and the
 * m = round(ratio * b^2) lowest-sequency coefficients (ordered by i + j, then i) are kept. Rows are
 * orthonormal, so A A^T = I and A+ = A^T.
 * y layout: [N, H/b, W/b, C*m], channel index c*m + coefficient index.
 */
export function csWalshHadamard(imageShape: ImageShape, ratio = 0.25, block?: number): LinearOperator & { spectral(): SpectralView } {
  const [H, W, C] = imageShape;
  const b = block ?? defaultBlock(H, W);
  if (!(Number.isInteger(b) && b >= 1 && b <= MAX_CS_BLOCK && (b & (b - 1)) === 0))
    throw new ParameterError(`cs-walsh-hadamard: block must be a power of two from 1 to ${MAX_CS_BLOCK}, got ${b}`);
  if (H % b !== 0 || W % b !== 0) throw new ParameterError(`cs-walsh-hadamard: block ${b} does not divide the image size ${H}x${W}`);
  if (!(ratio > 0 && ratio <= 1)) throw new ParameterError(`cs-walsh-hadamard: ratio must lie in (0, 1], got ${ratio}`);
  const n = b * b;
  const m = Math.max(1, Math.round(ratio * n));
  const w = walshMatrix(b);
  const pairs: [number, number][] = [];
  for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) pairs.push([i, j]);
  pairs.sort((p, q) => p[0] + p[1] - (q[0] + q[1]) || p[0] - q[0]);
  // full [n, n]: row r is the flattened outer product of Walsh rows (i, j), scaled to unit norm;
  // an orthogonal matrix whose first m rows are the measured ones (basis).
  const full = pairs.map(([i, j]) => w[i].flatMap((a) => w[j].map((c) => (a * c) / b)));
  const basis = full.slice(0, m);
  const k = tf.tidy(() => ({ B: tf.tensor2d(basis), BT: tf.transpose(tf.tensor2d(basis)) as tf.Tensor2D }));
  tf.keep(k.B);
  tf.keep(k.BT);
  const hb = H / b;
  const wb = W / b;
  const yShape = [hb, wb, C * m] as const;
  const toBlocks = (x: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(x, [x.shape[0], hb, b, wb, b, C]), [0, 1, 3, 5, 2, 4]), [-1, n]);
  const fromBlocks = (v: tf.Tensor, N: number) =>
    tf.reshape(tf.transpose(tf.reshape(v, [N, hb, wb, C, b, b]), [0, 1, 4, 2, 5, 3]), [N, H, W, C]) as tf.Tensor4D;
  const synth = (y: tf.Tensor) => tf.tidy(() => fromBlocks(tf.matMul(tf.reshape(y, [-1, m]), k.B), y.shape[0]));
  const A = (x: tf.Tensor) => tf.tidy(() => tf.reshape(tf.matMul(toBlocks(x), k.BT), [x.shape[0], ...yShape]));
  return {
    kind: 'cs-walsh-hadamard',
    description: `compressed sensing (${Math.round((100 * m) / n)} % of ${b}x${b} Walsh–Hadamard coefficients)`,
    imageShape,
    measurementShape: yShape,
    A: (x) => (checkBatch(x, imageShape, 'cs-walsh-hadamard', 'x'), A(x)),
    AT: (y) => (checkBatch(y, yShape, 'cs-walsh-hadamard', 'y'), synth(y)),
    Apinv: (y) => (checkBatch(y, yShape, 'cs-walsh-hadamard', 'y'), synth(y)),
    project: (x) => (checkBatch(x, imageShape, 'cs-walsh-hadamard', 'x'), tf.tidy(() => synth(A(x)))),
    // V = the full block Walsh basis (spectral layout [H/b, W/b, C*n], coefficient c*n + r),
    // U = I on the measured coefficients, s = 1 on the first m of each block and 0 elsewhere.
    spectral: () => {
      const sShape = [hb, wb, C * n] as const;
      const v = tf.tidy(() => ({
        F: tf.tensor2d(full),
        FT: tf.transpose(tf.tensor2d(full)),
        s: tf.tensor4d(
          Array.from({ length: C * n }, (_, i) => (i % n < m ? 1 : 0)),
          [1, 1, 1, C * n],
        ),
      }));
      Object.values(v).forEach((x) => tf.keep(x));
      return {
        spectralShape: sShape,
        singulars: v.s,
        Vt: (x) => tf.tidy(() => tf.reshape(tf.matMul(toBlocks(x), v.FT), [x.shape[0], ...sShape])),
        V: (xb) => tf.tidy(() => fromBlocks(tf.matMul(tf.reshape(xb, [-1, n]), v.F), xb.shape[0])),
        Ut: (y) =>
          tf.tidy(() =>
            tf.reshape(
              tf.pad(tf.reshape(y, [-1, m]), [
                [0, 0],
                [0, n - m],
              ]),
              [y.shape[0], ...sShape],
            ),
          ),
        U: (yb) => tf.tidy(() => tf.reshape(tf.slice(tf.reshape(yb, [-1, n]), [0, 0], [-1, m]), [yb.shape[0], ...yShape])),
        dispose: () => Object.values(v).forEach((x) => x.dispose()),
      };
    },
    dispose: () => {
      k.B.dispose();
      k.BT.dispose();
    },
  };
}

/** Largest power of two up to 8 that divides both sides (4 for 28 x 28). */
function defaultBlock(H: number, W: number): number {
  let b = 8;
  while (b > 1 && (H % b !== 0 || W % b !== 0)) b /= 2;
  return b;
}
