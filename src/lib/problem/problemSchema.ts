import { z } from 'zod';

/**
 * `deqir-problem/1`: a whole restoration problem with explicit arrays, so that anyone can check this
 * kit against another implementation. All image arrays are flat, row-major, in `layout` order
 * (NHWC or NCHW) with batch shape `shape`; prior arrays describe ONE image in the same order.
 * Measurements `y` follow the layout too when they are images (their channel axis is where the
 * layout puts it); the `matrix` operator's y is [N, M], and its A's columns index one image
 * flattened in the problem's layout. Omitted xT / z / measurement noise are drawn from `seed`.
 */
const finite = z.number().finite();
const numbers = z.array(finite);
const positiveInt = z.number().int().positive();
const matrix = z.array(numbers).min(1).refine((rows) => rows.every((r) => r.length === rows[0].length), 'rows must all have the same length');

export const operatorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sr-avgpool'), factor: positiveInt }),
  z.object({ kind: z.literal('sr-bicubic'), factor: positiveInt, svdThreshold: finite.nonnegative().optional() }),
  z.object({ kind: z.literal('deblur-gaussian'), sigma: finite.positive().optional(), size: positiveInt.optional(), svdThreshold: finite.nonnegative().optional() }),
  z.object({ kind: z.literal('deblur-uniform'), size: positiveInt.optional(), svdThreshold: finite.nonnegative().optional() }),
  z.object({ kind: z.literal('deblur-anisotropic'), sigmaRows: finite.positive().optional(), sigmaCols: finite.positive().optional(), svdThreshold: finite.nonnegative().optional() }),
  z.object({
    kind: z.literal('inpainting'),
    mask: z.union([numbers, matrix]).optional(),
    pattern: z.enum(['box', 'random', 'lines']).optional(),
    fraction: finite.optional(),
    p: finite.optional(),
    spacing: positiveInt.optional(),
    seed: z.number().int().nonnegative().optional(),
  }),
  z.object({ kind: z.literal('colorization') }),
  z.object({ kind: z.literal('cs-walsh-hadamard'), ratio: finite.optional(), block: positiveInt.optional() }),
  z.object({ kind: z.literal('denoising') }),
  z.object({ kind: z.literal('separable'), rows: matrix, cols: matrix, svdThreshold: finite.nonnegative().optional() }),
  z.object({ kind: z.literal('matrix'), A: matrix, svdThreshold: finite.nonnegative().optional() }),
]);

const perPixel = z.union([finite, numbers]);

export const priorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gaussian'), mean: perPixel, variance: perPixel }),
  z.object({
    kind: z.literal('gaussian-mixture'),
    components: z.array(z.object({ weight: finite.positive(), mean: numbers, variance: perPixel })).min(1),
  }),
  z.object({ kind: z.literal('unet'), path: z.string().min(1) }),
]);

export const solverSchema = z.object({
  kind: z.enum(['serial', 'picard', 'anderson', 'anderson-per-row']),
  tol: finite.nonnegative().optional(),
  maxIter: positiveInt.optional(),
  m: positiveInt.optional(),
  lambda: finite.nonnegative().optional(),
  beta: finite.positive().max(1).optional(),
  chunkSize: positiveInt.optional(),
  triangular: z.boolean().optional(),
  init: z.enum(['xT', 'ddim-pinv']).optional(),
});

export const gradSchema = z.object({
  loss: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('weighted-sum'), weights: numbers }),
    z.object({ kind: z.literal('region'), mask: z.union([numbers, matrix]) }),
    z.object({ kind: z.literal('consistency') }),
  ]),
  wrt: z.union([z.enum(['y', 'xT']), z.array(z.enum(['y', 'xT'])).min(1)]).default(['y', 'xT']),
  method: z.enum(['implicit', 'phantom', 'serial']).default('implicit'),
  phantomSteps: positiveInt.optional(),
  phantomTau: finite.positive().max(1).optional(),
});

export const problemSchema = z
  .object({
    format: z.literal('deqir-problem/1'),
    layout: z.enum(['NHWC', 'NCHW']).default('NHWC'),
    shape: z.tuple([positiveInt, positiveInt, positiveInt, positiveInt]),
    schedule: z
      .object({ kind: z.literal('linear'), N: positiveInt.default(1000), betaStart: finite.positive().default(1e-4), betaEnd: finite.positive().default(0.02) })
      .default({ kind: 'linear' }),
    T: positiveInt,
    skip: z.enum(['uniform', 'quad']).default('uniform'),
    etw: finite.min(0).max(1).default(0),
    nw: finite.min(0).max(1).default(0),
    noise: z.enum(['fixed', 'per-step']).default('fixed'),
    seed: z.number().int().nonnegative().max(2 ** 32 - 1).default(0),
    prior: priorSchema,
    operator: operatorSchema.and(z.object({ sigmaY: finite.nonnegative().default(0) })),
    y: numbers.optional(),
    xTrue: numbers.optional(),
    xT: numbers.optional(),
    z: numbers.optional(),
    solver: solverSchema.default({ kind: 'anderson' }),
    /** Optional: gradients of a loss of x0 with respect to y and/or xT. */
    grad: gradSchema.optional(),
  })
  .refine((p) => (p.y === undefined) !== (p.xTrue === undefined), { message: 'give exactly one of "y" or "xTrue"', path: ['y'] });

export type DeqirProblem = z.infer<typeof problemSchema>;
export type ProblemSolver = z.infer<typeof solverSchema>;
