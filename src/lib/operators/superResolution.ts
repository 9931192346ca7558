import type { ImageShape } from '../image/imageShape.js';
import { bicubicDownMatrix, blockMeanMatrix } from './matrices1d.js';
import { separableOperator } from './separableOperator.js';

/** SR by average pooling: y = mean of each f x f block. y layout [N, H/f, W/f, C]; A+ y repeats pixels. */
export function srAvgPool(imageShape: ImageShape, factor: number) {
  const [H, W] = imageShape;
  return separableOperator(imageShape, {
    kind: 'sr-avgpool',
    description: `super-resolution x${factor} (average pooling)`,
    rows: blockMeanMatrix(H, factor),
    cols: blockMeanMatrix(W, factor),
  });
}

/** SR by bicubic downsampling (a = -0.5, 4f taps, stride f), separable. y layout [N, H/f, W/f, C]. */
export function srBicubic(imageShape: ImageShape, factor: number, svdThreshold?: number) {
  const [H, W] = imageShape;
  return separableOperator(imageShape, {
    kind: 'sr-bicubic',
    description: `super-resolution x${factor} (bicubic)`,
    rows: bicubicDownMatrix(H, factor),
    cols: bicubicDownMatrix(W, factor),
    svdThreshold,
  });
}
