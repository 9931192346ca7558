import { ParameterError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { colorization } from './colorization.js';
import { csWalshHadamard } from './compressedSensing.js';
import { deblurAnisotropic, deblurGaussian, deblurUniform } from './deblur.js';
import { denoising } from './denoising.js';
import { inpainting } from './inpainting.js';
import type { LinearOperator } from './linearOperator.js';
import { boxMask, flatMask, linesMask, randomMask } from './masks.js';
import { matrixOperator } from './matrixOperator.js';
import { separableOperator } from './separableOperator.js';
import { srAvgPool, srBicubic } from './superResolution.js';

/**
 * Operators by name, with the parameter names of problem files (`deqir-problem/1`).
 * Inpainting takes an explicit `mask` (H*W or H rows of W, 1 = observed) or a `pattern`.
 */
export type OperatorSpec =
  | { kind: 'sr-avgpool'; factor: number }
  | { kind: 'sr-bicubic'; factor: number; svdThreshold?: number }
  | { kind: 'deblur-gaussian'; sigma?: number; size?: number; svdThreshold?: number }
  | { kind: 'deblur-uniform'; size?: number; svdThreshold?: number }
  | { kind: 'deblur-anisotropic'; sigmaRows?: number; sigmaCols?: number; svdThreshold?: number }
  | {
      kind: 'inpainting';
      mask?: number[] | number[][];
      pattern?: 'box' | 'random' | 'lines';
      fraction?: number;
      p?: number;
      spacing?: number;
      seed?: number;
    }
  | { kind: 'colorization' }
  | { kind: 'cs-walsh-hadamard'; ratio?: number; block?: number }
  | { kind: 'denoising' }
  | { kind: 'separable'; rows: number[][]; cols: number[][]; svdThreshold?: number }
  | { kind: 'matrix'; A: number[][]; svdThreshold?: number };

export type OperatorKind = OperatorSpec['kind'];

const OPERATOR_KINDS: readonly OperatorKind[] = [
  'sr-avgpool',
  'sr-bicubic',
  'deblur-gaussian',
  'deblur-uniform',
  'deblur-anisotropic',
  'inpainting',
  'colorization',
  'cs-walsh-hadamard',
  'denoising',
  'separable',
  'matrix',
];

export function createOperator(spec: OperatorSpec, imageShape: ImageShape): LinearOperator {
  const [H, W] = imageShape;
  switch (spec.kind) {
    case 'sr-avgpool':
      return srAvgPool(imageShape, required(spec.factor, 'sr-avgpool', 'factor'));
    case 'sr-bicubic':
      return srBicubic(imageShape, required(spec.factor, 'sr-bicubic', 'factor'), spec.svdThreshold);
    case 'deblur-gaussian':
      return deblurGaussian(imageShape, spec.sigma, spec.size, spec.svdThreshold);
    case 'deblur-uniform':
      return deblurUniform(imageShape, spec.size, spec.svdThreshold);
    case 'deblur-anisotropic':
      return deblurAnisotropic(imageShape, spec.sigmaRows, spec.sigmaCols, spec.svdThreshold);
    case 'inpainting': {
      if (spec.mask) return inpainting(imageShape, flatMask(spec.mask, H, W, 'inpainting'));
      const pattern = spec.pattern ?? 'box';
      const mask =
        pattern === 'box' ? boxMask(H, W, spec.fraction)
        : pattern === 'random' ? randomMask(H, W, spec.p, spec.seed)
        : pattern === 'lines' ? linesMask(H, W, spec.spacing, spec.seed)
        : undefined;
      if (!mask) throw new ParameterError(`inpainting: unknown pattern '${String(pattern)}' (expected box, random or lines)`);
      return inpainting(imageShape, mask);
    }
    case 'colorization':
      return colorization(imageShape);
    case 'cs-walsh-hadamard':
      return csWalshHadamard(imageShape, spec.ratio, spec.block);
    case 'denoising':
      return denoising(imageShape);
    case 'separable':
      return separableOperator(imageShape, { rows: spec.rows, cols: spec.cols, svdThreshold: spec.svdThreshold });
    case 'matrix':
      return matrixOperator(imageShape, spec.A, spec.svdThreshold);
    default:
      throw new ParameterError(
        `unknown operator kind '${String((spec as { kind: unknown }).kind)}' (expected one of ${OPERATOR_KINDS.join(', ')})`,
      );
  }
}

function required<T>(v: T | undefined, kind: string, name: string): T {
  if (v === undefined || v === null) throw new ParameterError(`${kind}: parameter '${name}' is required`);
  return v;
}
