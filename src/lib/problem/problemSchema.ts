import { z } from 'zod';
import type { SolverKind, StopRule } from '../deq/solvers/solverTypes.js';
import { DEFAULT_SOLVER } from '../deq/solvers/solverDefaults.js';
import { MAX_ITER_RANGE, T_RANGE, TOL_RANGE } from '../bounds.js';
import {
  FLOAT32_MAX,
  MAX_ANDERSON_M,
  MAX_BATCH,
  MAX_BLUR_SIGMA,
  MAX_CHANNELS,
  MAX_CS_BLOCK,
  MAX_IMAGE_SIDE,
  MAX_KERNEL_SIZE,
  MAX_MATRIX_SIDE,
  MAX_MIXTURE_COMPONENTS,
  MAX_PHANTOM_STEPS,
  MAX_SCHEDULE_N,
} from '../bounds.js';

/**
 * `deqir-problem/1`: a whole restoration problem with explicit arrays, so that anyone can check this
 * kit against another implementation. All image arrays are flat, row-major, in `layout` order
 * (NHWC or NCHW) with batch shape `shape`; prior arrays describe ONE image in the same order.
 * Measurements `y` follow the layout too when they are images (their channel axis is where the
 * layout puts it); the `matrix` operator's y is [N, M], and its A's columns index one image
 * flattened in the problem's layout. Omitted xT / z / measurement noise are drawn from `seed`.
 * Objects are strict (an unknown key is refused, with the nearest valid name), every number is
 * within float32 range, and every size is bounded (bounds.ts)
 * so that a problem is refused before anything is allocated for it.
 */
const FLOAT32_RANGE = { message: `must lie within float32 range (magnitude at most ${FLOAT32_MAX.toExponential(4)})` };
/** Every number is finite and within float32 range: a larger one would become Infinity on upload. */
const finite = z.number().finite().min(-FLOAT32_MAX, FLOAT32_RANGE).max(FLOAT32_MAX, FLOAT32_RANGE);
const numbers = z.array(finite);
const positiveInt = z.number().int().positive();
const intIn = (min: number, max: number, what?: string) => {
  const message = what && { message: `${what} must be an integer from ${min} to ${max}` };
  return z.number().int(message).min(min, message).max(max, message);
};
const matrix = (maxSide: number) =>
  z
    .array(z.array(finite).max(maxSide))
    .min(1)
    .max(maxSide)
    .refine((rows) => rows.every((r) => r.length === rows[0].length), 'rows must all have the same length');
const seed = intIn(0, 2 ** 32 - 1, 'a seed');
const binary = finite.refine((v) => v === 0 || v === 1, 'mask values must be 0 or 1');
const mask = z.union([z.array(binary), z.array(z.array(binary)).min(1)]);
const fraction = finite.min(0).max(1);
const svdThreshold = finite.nonnegative().optional();
/** One operator; `sigmaY` is the measurement noise. Unknown keys are refused (strict). */
const op = <S extends z.ZodRawShape>(shape: S) => z.object({ ...shape, sigmaY: finite.nonnegative().default(0) }).strict();

const operatorSchema = z.discriminatedUnion('kind', [
  op({ kind: z.literal('sr-avgpool'), factor: intIn(1, MAX_IMAGE_SIDE) }),
  op({ kind: z.literal('sr-bicubic'), factor: intIn(1, MAX_IMAGE_SIDE), svdThreshold }),
  op({
    kind: z.literal('deblur-gaussian'),
    sigma: finite.positive().max(MAX_BLUR_SIGMA).optional(),
    size: intIn(1, MAX_KERNEL_SIZE).optional(),
    svdThreshold,
  }),
  op({ kind: z.literal('deblur-uniform'), size: intIn(1, MAX_KERNEL_SIZE).optional(), svdThreshold }),
  op({
    kind: z.literal('deblur-anisotropic'),
    sigmaRows: finite.positive().max(MAX_BLUR_SIGMA).optional(),
    sigmaCols: finite.positive().max(MAX_BLUR_SIGMA).optional(),
    svdThreshold,
  }),
  op({
    kind: z.literal('inpainting'),
    mask: mask.optional(),
    pattern: z.enum(['box', 'random', 'lines']).optional(),
    fraction: fraction.optional(),
    p: fraction.optional(),
    spacing: intIn(1, MAX_IMAGE_SIDE).optional(),
    seed: seed.optional(),
  }),
  op({ kind: z.literal('colorization') }),
  op({ kind: z.literal('cs-walsh-hadamard'), ratio: finite.positive().max(1).optional(), block: intIn(1, MAX_CS_BLOCK).optional() }),
  op({ kind: z.literal('denoising') }),
  op({ kind: z.literal('separable'), rows: matrix(MAX_MATRIX_SIDE), cols: matrix(MAX_MATRIX_SIDE), svdThreshold }),
  op({ kind: z.literal('matrix'), A: matrix(MAX_MATRIX_SIDE), svdThreshold }),
]);

const positive = finite.positive();
const perPixel = z.union([finite, numbers]);
const perPixelPositive = z.union([positive, z.array(positive)]);

const priorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('gaussian'), mean: perPixel, variance: perPixelPositive }).strict(),
  z
    .object({
      kind: z.literal('gaussian-mixture'),
      components: z
        .array(z.object({ weight: positive, mean: numbers, variance: perPixelPositive }).strict())
        .min(1)
        .max(MAX_MIXTURE_COMPONENTS),
    })
    .strict(),
  z.object({ kind: z.literal('unet'), path: z.string().min(1).max(4096) }).strict(),
]);

const solverSchema = z
  .object({
    kind: z.enum(['serial', 'picard', 'anderson', 'anderson-per-row', 'taa'] as const satisfies readonly ('serial' | SolverKind)[]),
    /** How the solve stops (deq/solvers/solverDefaults.ts): 'x0' (the default) or 'relative' (the strict, reference rule). */
    rule: z.enum(['x0', 'relative'] as const satisfies readonly StopRule[]).optional(),
    tol: finite.nonnegative().max(TOL_RANGE.max).optional(),
    maxIter: intIn(MAX_ITER_RANGE.min, MAX_ITER_RANGE.max, 'maxIter').optional(),
    m: intIn(1, MAX_ANDERSON_M).optional(),
    /** Tikhonov regularisation of Anderson's least squares: > 0 keeps it solvable. */
    lambda: positive.optional(),
    beta: finite.positive().max(1).optional(),
    chunkSize: positiveInt.optional(),
    triangular: z.boolean().optional(),
    init: z.enum(['xT', 'ddim-pinv']).optional(),
  })
  .strict();

const gradSchema = z
  .object({
    loss: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('weighted-sum'), weights: numbers }).strict(),
      z.object({ kind: z.literal('region'), mask }).strict(),
      z.object({ kind: z.literal('consistency') }).strict(),
    ]),
    wrt: z.union([z.enum(['y', 'xT']), z.array(z.enum(['y', 'xT'])).min(1)]).default(['y', 'xT']),
    method: z.enum(['implicit', 'phantom', 'serial']).default('implicit'),
    phantomSteps: intIn(1, MAX_PHANTOM_STEPS, 'phantomSteps').optional(),
    phantomTau: finite.positive().max(1).optional(),
  })
  .strict();

export const problemSchema = z
  .object({
    format: z.literal('deqir-problem/1'),
    layout: z.enum(['NHWC', 'NCHW']).default('NHWC'),
    /** [N, H, W, C] or [N, C, H, W]: N at most MAX_BATCH, sides at most MAX_IMAGE_SIDE, C at most MAX_CHANNELS (checked below). */
    shape: z.tuple([
      intIn(1, MAX_BATCH, 'the batch N'),
      intIn(1, MAX_IMAGE_SIDE, 'a side'),
      intIn(1, MAX_IMAGE_SIDE, 'a side'),
      intIn(1, MAX_IMAGE_SIDE, 'a side'),
    ]),
    schedule: z
      .object({
        kind: z.literal('linear'),
        N: intIn(2, MAX_SCHEDULE_N, 'the schedule length N').default(1000),
        betaStart: finite.positive().max(0.999).default(1e-4),
        betaEnd: finite.positive().max(0.999).default(0.02),
      })
      .strict()
      .default({ kind: 'linear' }),
    T: intIn(T_RANGE.min, T_RANGE.max, 'T'),
    skip: z.enum(['uniform', 'quad']).default('uniform'),
    etw: finite.min(0).max(1).default(0),
    nw: finite.min(0).max(1).default(0),
    noise: z.enum(['fixed', 'per-step']).default('fixed'),
    /** With operator.sigmaY > 0: 'ddnm+' (default) takes DDNM+'s noise-aware step, 'ddnm' copies A+y as is (for comparison). */
    rangeCorrection: z.enum(['ddnm+', 'ddnm']).default('ddnm+'),
    seed: seed.default(0),
    prior: priorSchema,
    operator: operatorSchema,
    y: numbers.optional(),
    xTrue: numbers.optional(),
    xT: numbers.optional(),
    z: numbers.optional(),
    solver: solverSchema.default({ kind: DEFAULT_SOLVER }),
    /** Optional: gradients of a loss of x0 with respect to y and/or xT. */
    grad: gradSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.y === undefined) === (p.xTrue === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "y" or "xTrue"', path: ['y'] });
    if (p.schedule.betaStart > p.schedule.betaEnd)
      ctx.addIssue({
        code: 'custom',
        message: `betaStart ${p.schedule.betaStart} must not exceed betaEnd ${p.schedule.betaEnd}`,
        path: ['schedule', 'betaStart'],
      });
    if (p.T > p.schedule.N)
      ctx.addIssue({ code: 'custom', message: `T = ${p.T} exceeds the schedule length N = ${p.schedule.N}`, path: ['T'] });
    const channels = p.layout === 'NHWC' ? p.shape[3] : p.shape[1];
    if (channels > MAX_CHANNELS)
      ctx.addIssue({
        code: 'custom',
        message: `images may have at most ${MAX_CHANNELS} channels, got ${channels} (is the layout right?)`,
        path: ['shape'],
      });
    // Colorization maps RGB to its channel mean: refused here, before a prior is built for the wrong images.
    if (p.operator.kind === 'colorization' && channels !== 3)
      ctx.addIssue({
        code: 'custom',
        message: `colorization needs colour images (3 channels); shape [${p.shape.join(', ')}] in ${p.layout} has ${channels}`,
        path: ['operator', 'kind'],
      });
  });

/**
 * The keys an object in a problem may have at `path` (the schema walked along the data), for the
 * "did you mean" of an unknown key; undefined where the path does not lead to an object schema.
 */
export function knownKeysAt(data: unknown, path: readonly (string | number)[]): string[] | undefined {
  let schema: z.ZodTypeAny = problemSchema;
  let value: unknown = data;
  for (let i = 0; ; i++) {
    schema = unwrap(schema, value);
    if (i === path.length) return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
    const seg = path[i];
    value = (value as Record<string | number, unknown> | undefined)?.[seg];
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodTypeAny>)[seg];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodTuple) schema = schema.items[seg as number];
    else return undefined;
    if (!schema) return undefined;
  }
}

function unwrap(schema: z.ZodTypeAny, value: unknown): z.ZodTypeAny {
  for (;;) {
    if (schema instanceof z.ZodEffects) schema = schema.innerType();
    else if (schema instanceof z.ZodDefault) schema = schema._def.innerType;
    else if (schema instanceof z.ZodOptional) schema = schema.unwrap();
    else if (schema instanceof z.ZodDiscriminatedUnion) {
      const kind = (value as Record<string, unknown> | undefined)?.[schema.discriminator];
      const option = schema.optionsMap.get(kind as string);
      if (!option) return schema;
      schema = option;
    } else if (schema instanceof z.ZodUnion) {
      const options = schema.options as z.ZodTypeAny[];
      const want =
        Array.isArray(value) ? z.ZodArray
        : typeof value === 'object' && value !== null ? z.ZodObject
        : undefined;
      const match = want && options.find((o) => unwrap(o, value) instanceof want);
      if (!match) return schema;
      schema = match;
    } else return schema;
  }
}

export type DeqirProblem = z.infer<typeof problemSchema>;
export type ProblemSolver = z.infer<typeof solverSchema>;
