import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../../src/lib/image/imageShape.js';
import { gaussianPrior } from '../../src/lib/models/gaussianPrior.js';
import { createOperator, type OperatorSpec } from '../../src/lib/operators/createOperator.js';
import { gaussianArray, uniformStream } from '../../src/lib/random/prng.js';
import { linearSchedule } from '../../src/lib/schedule/linearSchedule.js';

export interface OperatorCase {
  name: string;
  spec: OperatorSpec;
  shape: ImageShape;
}

function randomMatrix(rows: number, cols: number, seed: number): number[][] {
  const g = gaussianArray(rows * cols, seed);
  return Array.from({ length: rows }, (_, i) => Array.from(g.subarray(i * cols, (i + 1) * cols)));
}

/** Every operator with representative parameters, on odd and non-square sizes where it allows. */
export const OPERATOR_CASES: OperatorCase[] = [
  { name: 'sr-avgpool x2', spec: { kind: 'sr-avgpool', factor: 2 }, shape: [6, 10, 1] },
  { name: 'sr-avgpool x4', spec: { kind: 'sr-avgpool', factor: 4 }, shape: [8, 12, 2] },
  { name: 'sr-bicubic x2', spec: { kind: 'sr-bicubic', factor: 2 }, shape: [6, 10, 1] },
  { name: 'sr-bicubic x4', spec: { kind: 'sr-bicubic', factor: 4 }, shape: [8, 12, 1] },
  { name: 'deblur-gaussian', spec: { kind: 'deblur-gaussian', sigma: 1 }, shape: [7, 9, 1] },
  { name: 'deblur-uniform', spec: { kind: 'deblur-uniform', size: 3 }, shape: [7, 9, 2] },
  { name: 'deblur-anisotropic', spec: { kind: 'deblur-anisotropic', sigmaRows: 2, sigmaCols: 0.5 }, shape: [9, 7, 1] },
  { name: 'inpainting box', spec: { kind: 'inpainting', pattern: 'box', fraction: 0.4 }, shape: [7, 9, 1] },
  { name: 'inpainting random 50 %', spec: { kind: 'inpainting', pattern: 'random', p: 0.5, seed: 3 }, shape: [7, 9, 3] },
  { name: 'inpainting lines', spec: { kind: 'inpainting', pattern: 'lines', spacing: 3, seed: 1 }, shape: [7, 9, 1] },
  {
    name: 'inpainting explicit mask',
    spec: {
      kind: 'inpainting',
      mask: Array.from({ length: 5 }, (_, i) => Array.from({ length: 6 }, (_, j) => ((i + j) % 3 === 0 ? 0 : 1))),
    },
    shape: [5, 6, 1],
  },
  { name: 'colorization', spec: { kind: 'colorization' }, shape: [5, 7, 3] },
  { name: 'cs-walsh-hadamard 25 %', spec: { kind: 'cs-walsh-hadamard', ratio: 0.25, block: 4 }, shape: [8, 12, 1] },
  { name: 'cs-walsh-hadamard 50 % block 2', spec: { kind: 'cs-walsh-hadamard', ratio: 0.5, block: 2 }, shape: [4, 6, 3] },
  { name: 'denoising', spec: { kind: 'denoising' }, shape: [7, 9, 1] },
  { name: 'separable', spec: { kind: 'separable', rows: randomMatrix(5, 7, 11), cols: randomMatrix(4, 9, 12) }, shape: [7, 9, 1] },
  { name: 'matrix', spec: { kind: 'matrix', A: randomMatrix(20, 7 * 5, 13) }, shape: [7, 5, 1] },
];

export const schedule = linearSchedule();

/** A diagonal Gaussian prior with a structured mean (so restorations are not trivial). */
export function testPrior(shape: ImageShape, seed = 1) {
  const D = shape[0] * shape[1] * shape[2];
  const u = uniformStream(seed);
  const mean = Array.from({ length: D }, () => 0.6 * (u() - 0.5));
  const variance = Array.from({ length: D }, () => 0.05 + 0.2 * u());
  return gaussianPrior(schedule, shape, mean, variance);
}

export function randomImages(n: number, shape: readonly number[], seed: number, scale = 1): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => tf.mul(tf.tensor(gaussianArray(n * size, seed), [n, ...shape]), scale));
}

/** One operator case as a problem: its test prior, the operator, clean images x = tanh(noise), y = A x and an x_T (seeds seed, seed + 1). */
export function caseProblem(c: OperatorCase, batch: number, seed: number) {
  const prior = testPrior(c.shape);
  const operator = createOperator(c.spec, c.shape);
  const x = tf.tidy(() => tf.tanh(randomImages(batch, c.shape, seed))) as tf.Tensor4D;
  const y = operator.A(x);
  const xT = randomImages(batch, c.shape, seed + 1) as tf.Tensor4D;
  return {
    prior,
    operator,
    x,
    y,
    xT,
    dispose: () => {
      [x, y, xT].forEach((t) => t.dispose());
      operator.dispose();
      prior.dispose?.();
    },
  };
}
