import type { ImageShape } from '../image/imageShape.js';
import { convolutionMatrix, gaussianKernel, uniformKernel } from './matrices1d.js';
import { separableOperator } from './separableOperator.js';

/**
 * Separable blurs with zero boundary, y the same size as x ([N, H, W, C]). Our 1-D blur matrix uses
 * every kernel tap (the reference's drops the last one). Singular values below svdThreshold are
 * truncated in A itself, so the blur we apply is the rank-truncated one (see truncatedSvd).
 */
export function deblurGaussian(imageShape: ImageShape, sigma = 1, size?: number, svdThreshold?: number) {
  const k = gaussianKernel(sigma, size);
  return separableOperator(imageShape, {
    kind: 'deblur-gaussian',
    description: `Gaussian deblurring (sigma ${sigma}, ${k.length} taps)`,
    rows: convolutionMatrix(imageShape[0], k),
    cols: convolutionMatrix(imageShape[1], k),
    svdThreshold,
  });
}

export function deblurUniform(imageShape: ImageShape, size = 5, svdThreshold?: number) {
  const k = uniformKernel(size);
  return separableOperator(imageShape, {
    kind: 'deblur-uniform',
    description: `uniform deblurring (${size}x${size} box)`,
    rows: convolutionMatrix(imageShape[0], k),
    cols: convolutionMatrix(imageShape[1], k),
    svdThreshold,
  });
}

/** Different Gaussian widths along height (sigmaRows) and width (sigmaCols), as DDNM's (20, 1) kernel. */
export function deblurAnisotropic(imageShape: ImageShape, sigmaRows = 2, sigmaCols = 0.5, svdThreshold?: number) {
  return separableOperator(imageShape, {
    kind: 'deblur-anisotropic',
    description: `anisotropic deblurring (sigma ${sigmaRows} x ${sigmaCols})`,
    rows: convolutionMatrix(imageShape[0], gaussianKernel(sigmaRows)),
    cols: convolutionMatrix(imageShape[1], gaussianKernel(sigmaCols)),
    svdThreshold,
  });
}
