import * as tf from '@tensorflow/tfjs-core';
import { OwnedTensors } from '../tensors/ownedTensors.js';
import { maxAbsDiff } from '../metrics/vectorStats.js';
import { deqRestore } from '../deq/deqRestore.js';
import type { IterationRecord } from '../deq/solvers/solverTypes.js';
import { DeqirError, didYouMean, NonFiniteError, ProblemFileError } from '../errors.js';
import { UNetEpsModel } from '../models/unet/unetModel.js';
import { allFinite } from '../samplers/nonFinite.js';
import { DEFAULT_INIT } from '../deq/deqDefaults.js';
import { solverSettingsFor } from '../deq/solvers/solverDefaults.js';
import { T_RANGE, MAX_BATCH, MAX_IMAGE_SIDE, MAX_MATRIX_SIDE } from '../bounds.js';
import { checkMemoryBudget, estimateMemory, memoryBudgetBytes, operatorFloats, type MemoryEstimate } from './memoryEstimate.js';
import type { EpsModel } from '../models/epsModel.js';
import type { ImageShape } from '../image/imageShape.js';
import { gaussianMixturePrior } from '../models/gaussianMixturePrior.js';
import { gaussianPrior } from '../models/gaussianPrior.js';
import { createOperator, type OperatorSpec } from '../operators/createOperator.js';
import { flatMask } from '../operators/masks.js';
import type { LinearOperator } from '../operators/linearOperator.js';
import { measuredBatch, stepNoiseBatch } from './restorationProblem.js';
import { initialNoise } from './seedRule.js';
import { restorationGradient } from '../gradients/restorationGradient.js';
import { restorationLoss, type LossSpec } from '../gradients/restorationLoss.js';
import { prepareRestoration, type PreparedRestoration } from '../samplers/preparedRestoration.js';
import { serialChain } from '../samplers/serialChain.js';
import { linearSchedule, type DiffusionSchedule } from '../schedule/linearSchedule.js';
import { flatToNhwc, nhwcToFlat, toNhwcShape, type Layout } from './layout.js';
import { knownKeysAt, problemSchema, type DeqirProblem } from './problemSchema.js';

/** Parses and validates a problem; a malformed one gives a ProblemFileError listing every issue with its path. */
export function parseProblem(json: unknown): DeqirProblem {
  checkArraySizes(json);
  const r = problemSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 20).flatMap((i) => {
      const at = (path: readonly (string | number)[]) => ['problem', ...path].join('.');
      if (i.code !== 'unrecognized_keys') return [`${at(i.path)}: ${i.message}`];
      // One line per unknown key, with the nearest name this object knows.
      const known = knownKeysAt(json, i.path) ?? [];
      return i.keys.map(
        (k) => `${at([...i.path, k])}: unknown key${didYouMean(k, known)}${known.length ? ` (known here: ${known.join(', ')})` : ''}`,
      );
    });
    const more = r.error.issues.length > 20 ? `\n  ... and ${r.error.issues.length - 20} more` : '';
    throw new ProblemFileError(`malformed deqir-problem/1 file:\n  ${issues.join('\n  ')}${more}`);
  }
  return r.data;
}

/**
 * Refuses, before the schema walks them element by element, arrays longer than any field of this
 * problem can hold (T images of the batch for per-step noise; a dense matrix of the largest allowed
 * size): a 60 MB file of 30 million numbers is refused in a second instead of taking gigabytes.
 */
function checkArraySizes(json: unknown): void {
  if (typeof json !== 'object' || json === null) return;
  const shape = (json as { shape?: unknown }).shape;
  const valid =
    Array.isArray(shape) &&
    shape.length === 4 &&
    shape.every((d, i) => Number.isInteger(d) && d >= 1 && d <= (i === 0 ? MAX_BATCH : MAX_IMAGE_SIDE));
  const values = valid ? (shape as number[]).reduce((a, b) => a * b, 1) : 1;
  const limit = Math.max(T_RANGE.max * values, MAX_MATRIX_SIDE ** 2);
  const stack: [unknown, string][] = [[json, 'problem']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      if (v.length > limit)
        throw new ProblemFileError(
          `${path}: has ${v.length} values, more than any field of ${valid ? `a [${(shape as number[]).join(', ')}] problem` : 'a problem'} can hold (${limit})`,
        );
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' && v[i] !== null) stack.push([v[i], `${path}.${i}`]);
    } else for (const [k, x] of Object.entries(v)) if (typeof x === 'object' && x !== null) stack.push([x, `${path}.${k}`]);
  }
}

/** The memory a problem's solve is estimated to take (limits.ts), given its prior once loaded. */
function problemMemoryEstimate(problem: DeqirProblem, model?: EpsModel): MemoryEstimate {
  const [N, H, W, C] = toNhwcShape(problem.shape, problem.layout);
  const p = problem.prior;
  return estimateMemory({
    batch: N,
    imageShape: [H, W, C],
    T: problem.T,
    solver: problem.solver,
    withSerial: true,
    perStepNoise: problem.noise === 'per-step' && problem.nw > 0,
    prior:
      p.kind === 'gaussian-mixture' ? { kind: 'gaussian-mixture', components: p.components.length }
      : model instanceof UNetEpsModel ? { kind: 'unet', config: model.config }
      : { kind: 'gaussian' },
    operatorFloats: operatorFloats(problem.operator, [H, W, C]),
    gradient: problem.grad?.method,
    phantomSteps: problem.grad?.phantomSteps,
  });
}

export interface DeqirResultFile {
  format: 'deqir-result/1';
  layout: Layout;
  shape: number[];
  solver: string;
  x0: number[];
  x0Serial: number[];
  /** max |x0 - x0Serial| */
  maxAbsDiffToSerial: number;
  iterations: number;
  converged: boolean;
  nfe: number;
  sequentialDepth: number;
  residuals: { iteration: number; abs: number; rel: number; rowRel: number[] }[];
  wallMs: { solver: number; serial: number };
  backend: string;
  /** Present when the problem has a `grad` section: gradients in the problem's layout (y in y's). */
  grad?: {
    method: string;
    loss: number;
    y?: number[];
    xT?: number[];
    forwardIterations: number;
    adjointIterations: number;
    nfeEquivalent: number;
    wallMs: number;
  };
}

export interface SolveProblemOptions {
  /** Loads `unet` priors; the CLI passes the Node file loader. */
  loadModel?: (path: string, imageShape: ImageShape) => Promise<EpsModel>;
  signal?: AbortSignal;
  onIteration?: (rec: IterationRecord) => void;
  /** Refuse before allocating when the estimate exceeds this many bytes (default: limits.ts's budget). */
  memoryBudgetBytes?: number;
  /** Said in a refusal: how to raise the budget (the CLI's flag). */
  budgetHint?: string;
}

/** Solves a parsed problem with its solver and with the serial chain, for comparison. */
export async function solveProblem(problem: DeqirProblem, opts: SolveProblemOptions = {}): Promise<DeqirResultFile> {
  const nhwc = toNhwcShape(problem.shape, problem.layout);
  const [N, H, W, C] = nhwc;
  const imageShape: ImageShape = [H, W, C];
  const budget = opts.memoryBudgetBytes ?? memoryBudgetBytes();
  // Refused before anything is allocated (a UNet prior is checked again below, once its config is known).
  checkMemoryBudget(problemMemoryEstimate(problem), budget, opts.budgetHint);
  const schedule = withPath('schedule', () => linearSchedule(problem.schedule.N, problem.schedule.betaStart, problem.schedule.betaEnd));
  const owned = new OwnedTensors();
  try {
    const model = await withPath('prior', () => buildPrior(problem, schedule, imageShape, opts));
    owned.keep(model);
    if (problem.prior.kind === 'unet') checkMemoryBudget(problemMemoryEstimate(problem, model), budget, opts.budgetHint);
    const operator = withPath('operator', () => createOperator(operatorSpec(problem, imageShape), imageShape));
    owned.keep(operator);
    // Omitted arrays follow the one seed rule (seedRule.ts): image b of the batch has key b.
    const keys = Array.from({ length: N }, (_, b) => b);
    const D = H * W * C;
    const xT =
      problem.xT ?
        tf.tensor4d(
          withPath('xT', () => flatToNhwc(problem.xT!, nhwc, problem.layout)),
          nhwc,
        )
      : tf.tensor4d(Float32Array.from(keys.flatMap((b) => Array.from(initialNoise(problem.seed, b, D)))), nhwc);
    owned.keep(xT);
    let y: tf.Tensor;
    if (problem.y) y = withPath('y', () => measurementFromFile(problem.y!, operator, N, problem.layout));
    else {
      const truth = withPath('xTrue', () => flatToNhwc(problem.xTrue!, nhwc, problem.layout));
      const batch = measuredBatch(
        operator,
        keys.map((key) => ({ key, pixels: truth.subarray(key * D, (key + 1) * D) })),
        problem.seed,
        problem.operator.sigmaY,
      );
      [batch.truth, batch.xT].forEach((t) => t.dispose());
      y = batch.y;
    }
    owned.keep(y);
    // Name the input a non-finite value came from, before the chain would blame a step.
    if (!problem.y && !(await allFinite(y)))
      throw new NonFiniteError(
        'problem.xTrue: the measurement y = A xTrue + sigmaY n made from it is not finite (the operator overflows float32 on it)',
      );
    const z = problem.nw > 0 ? owned.keep(noise(problem, nhwc)) : undefined;
    const task = prepareRestoration({
      model,
      operator,
      y,
      xT,
      z,
      schedule,
      sampling: { T: problem.T, skip: problem.skip, etw: problem.etw, nw: problem.nw },
      sigmaY: problem.operator.sigmaY,
      rangeCorrection: problem.rangeCorrection,
    });
    owned.keep(task);
    const serial = await serialChain(task, { signal: opts.signal });
    owned.keep(serial.x0);
    const serialData = await serial.x0.data();
    const base = {
      format: 'deqir-result/1' as const,
      layout: problem.layout,
      shape: problem.shape,
      solver: problem.solver.kind,
      x0Serial: nhwcToFlat(serialData, nhwc, problem.layout),
      backend: tf.getBackend(),
    };
    const grad = problem.grad ? await gradients(problem, task, operator, nhwc, opts.signal) : undefined;
    if (problem.solver.kind === 'serial') {
      return {
        grad,
        ...base,
        x0: base.x0Serial,
        maxAbsDiffToSerial: 0,
        iterations: problem.T,
        converged: true,
        nfe: serial.nfe,
        sequentialDepth: serial.sequentialDepth,
        residuals: [],
        wallMs: { solver: serial.wallMs, serial: serial.wallMs },
      };
    }
    // What the file leaves out takes the kit's defaults (deq/solvers/solverDefaults.ts), as the CLI and the site do.
    const { kind, chunkSize, init, ...choice } = problem.solver;
    const settings = solverSettingsFor(problem.T, { kind, ...choice });
    const deq = await deqRestore(
      task,
      { ...settings, signal: opts.signal, onIteration: opts.onIteration && ((r) => opts.onIteration!(r)) },
      { chunkSize, init: init ?? DEFAULT_INIT },
    );
    owned.keep(deq.x0);
    const x0 = await deq.x0.data();
    return {
      ...base,
      grad,
      x0: nhwcToFlat(x0, nhwc, problem.layout),
      maxAbsDiffToSerial: maxAbsDiff(x0, serialData),
      iterations: deq.iterations,
      converged: deq.converged,
      nfe: deq.nfe,
      sequentialDepth: deq.sequentialDepth,
      residuals: deq.history.map((h) => ({ iteration: h.iteration, abs: h.absResidual, rel: h.relResidual, rowRel: h.rowRelResidual })),
      wallMs: { solver: deq.wallMs, serial: serial.wallMs },
    };
  } finally {
    owned.dispose();
  }
}

async function gradients(
  problem: DeqirProblem,
  task: PreparedRestoration,
  operator: LinearOperator,
  nhwc: [number, number, number, number],
  signal?: AbortSignal,
): Promise<DeqirResultFile['grad']> {
  const g = problem.grad!;
  const N = nhwc[0];
  const l = g.loss;
  const spec: LossSpec =
    l.kind === 'weighted-sum' ?
      { kind: 'weighted-sum', weights: withPath('grad.loss.weights', () => flatToNhwc(l.weights, nhwc, problem.layout)) }
    : l.kind === 'region' ? { kind: 'region', mask: withPath('grad.loss.mask', () => flatMask(l.mask, nhwc[1], nhwc[2], 'region loss')) }
    : { kind: 'consistency' };
  const loss = withPath('grad.loss', () => restorationLoss(spec, operator, N));
  try {
    const { solver } = problem;
    const r = await withPath('grad', () =>
      restorationGradient(task, loss, {
        method: g.method,
        phantomSteps: g.phantomSteps,
        phantomTau: g.phantomTau,
        solver: solver.kind === 'serial' ? undefined : { ...solver, kind: solver.kind },
        signal,
      }),
    );
    const wrt = Array.isArray(g.wrt) ? g.wrt : [g.wrt];
    const ms = operator.measurementShape;
    const yData = await r.dy.data();
    const out = {
      method: r.method,
      loss: r.loss,
      xT: wrt.includes('xT') ? nhwcToFlat(await r.dxT.data(), nhwc, problem.layout) : undefined,
      y:
        wrt.includes('y') ?
          ms.length === 3 ?
            nhwcToFlat(yData, [N, ...ms], problem.layout)
          : Array.from(yData)
        : undefined,
      forwardIterations: r.forwardIterations,
      adjointIterations: r.adjointIterations,
      nfeEquivalent: r.nfeEquivalent,
      wallMs: r.wallMs,
    };
    [r.x0, r.dxT, r.dy].forEach((t) => t.dispose());
    return out;
  } finally {
    loss.dispose();
  }
}

async function buildPrior(
  problem: DeqirProblem,
  schedule: DiffusionSchedule,
  shape: ImageShape,
  opts: SolveProblemOptions,
): Promise<EpsModel> {
  const p = problem.prior;
  const one = [1, ...shape];
  const image = (v: number[], field: string) => withPath(`prior.${field}`, () => flatToNhwc(v, one, problem.layout));
  const perImage = (v: number | number[], field: string) => (typeof v === 'number' ? v : image(v, field));
  switch (p.kind) {
    case 'gaussian':
      return gaussianPrior(schedule, shape, perImage(p.mean, 'mean'), perImage(p.variance, 'variance'));
    case 'gaussian-mixture':
      return gaussianMixturePrior(
        schedule,
        shape,
        p.components.map((c, k) => ({
          weight: c.weight,
          mean: image(c.mean, `components.${k}.mean`),
          variance: perImage(c.variance, `components.${k}.variance`),
        })),
      );
    case 'unet':
      if (!opts.loadModel) throw new ProblemFileError('a "unet" prior needs a model loader (use the deqir CLI, which loads models/ files)');
      return opts.loadModel(p.path, shape);
  }
}

/** The operator spec, with a matrix's columns permuted from the problem's layout to NHWC. */
function operatorSpec(problem: DeqirProblem, [H, W, C]: ImageShape): OperatorSpec {
  const { sigmaY: _sigmaY, ...spec } = problem.operator;
  if (spec.kind !== 'matrix' || problem.layout === 'NHWC') return spec as OperatorSpec;
  return { ...spec, A: spec.A.map((row) => Array.from(flatToNhwc(row, [1, H, W, C], 'NCHW'))) };
}

function measurementFromFile(y: number[], op: LinearOperator, N: number, layout: Layout): tf.Tensor {
  const ms = op.measurementShape;
  if (ms.length === 3) return tf.tensor4d(flatToNhwc(y, [N, ...ms], layout), [N, ...ms] as [number, number, number, number]);
  if (y.length !== N * size(ms))
    throw new ProblemFileError(`problem.y: has ${y.length} values, expected ${N * size(ms)} for [${[N, ...ms].join(', ')}]`);
  return tf.tensor(y, [N, ...ms]);
}

function noise(problem: DeqirProblem, nhwc: [number, number, number, number]): tf.Tensor {
  const shape = problem.noise === 'per-step' ? [problem.T, ...nhwc] : nhwc;
  if (!problem.z)
    return stepNoiseBatch(
      Array.from({ length: nhwc[0] }, (_, b) => b),
      problem.seed,
      [nhwc[1], nhwc[2], nhwc[3]],
      problem.noise,
      problem.T,
    );
  if (problem.noise === 'fixed')
    return tf.tensor(
      withPath('z', () => flatToNhwc(problem.z!, nhwc, problem.layout)),
      nhwc,
    );
  const per = size(nhwc);
  if (problem.z.length !== problem.T * per)
    throw new ProblemFileError(`problem.z: per-step noise needs T * N*H*W*C = ${problem.T * per} values, got ${problem.z.length}`);
  const steps = Array.from({ length: problem.T }, (_, k) => flatToNhwc(problem.z!.slice(k * per, (k + 1) * per), nhwc, problem.layout));
  return tf.tensor(Float32Array.from(steps.flatMap((s) => Array.from(s))), shape);
}

/** Re-throws library errors raised while reading one field as ProblemFileErrors naming the field. */
function withPath<T>(field: string, fn: () => T): T {
  try {
    const r = fn();
    if (r instanceof Promise) return r.catch((e) => rethrow(field, e)) as T;
    return r;
  } catch (e) {
    return rethrow(field, e);
  }
}

function rethrow(field: string, e: unknown): never {
  if (e instanceof DeqirError && !(e instanceof ProblemFileError)) throw new ProblemFileError(`problem.${field}: ${e.message}`);
  throw e;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
