import type * as tf from '@tensorflow/tfjs-core';

/**
 * The SVD of an operator, A = U S V^T, as DDRM needs it (Kawar et al. 2022): coordinates in which
 * A is diagonal. Spectral coordinates are a tensor [N, ...spectralShape] with as many entries as
 * the image; V is orthogonal, so V^T of standard normal noise is standard normal noise.
 *   Vt(x)      image -> spectral coordinates x̄ = V^T x
 *   V(x̄)       spectral coordinates -> image (the inverse of Vt)
 *   Ut(y)      measurement -> U^T y in spectral layout, 0 where s = 0
 *   U(ȳ)       the entries of ȳ where s > 0 -> measurement
 *   singulars  s, broadcastable to [1, ...spectralShape]; 0 marks the null space (including the
 *              singular values an operator truncates: the spectrum is that of the effective A)
 * So A x = U(s ⊙ Vt(x)), A^T y = V(s ⊙ Ut(y)), A+ y = V(Ut(y) / s) (tested for every operator
 * that has a view). The view owns its tensors: dispose() it when done.
 */
export interface SpectralView {
  readonly spectralShape: readonly number[];
  readonly singulars: tf.Tensor;
  Vt(x: tf.Tensor): tf.Tensor;
  V(xbar: tf.Tensor): tf.Tensor4D;
  Ut(y: tf.Tensor): tf.Tensor;
  U(ybar: tf.Tensor): tf.Tensor;
  dispose(): void;
}
