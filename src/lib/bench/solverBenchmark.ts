import * as tf from '@tensorflow/tfjs-core';
import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { deqRestore } from '../deq/deqRestore.js';
import type { InitKind } from '../deq/deqDefaults.js';
import type { SolverSettings } from '../deq/solvers/solverTypes.js';
import type { EpsModel } from '../models/epsModel.js';
import type { ImageShape } from '../image/imageShape.js';
import { fittedGaussianPrior } from '../models/gaussianPrior.js';
import { createOperator } from '../operators/createOperator.js';
import { taskDefinition, type TaskName } from '../operators/taskRegistry.js';
import { measuredBatch } from '../problem/restorationProblem.js';
import { prepareRestoration } from '../samplers/preparedRestoration.js';
import { serialChain } from '../samplers/serialChain.js';
import { maxAbsDiff } from '../metrics/vectorStats.js';
import { OwnedTensors } from '../tensors/ownedTensors.js';
import type { LinearOperator } from '../operators/linearOperator.js';

export interface SolverVariant {
  name: string;
  settings: SolverSettings;
  init?: InitKind;
}

export interface SolverBenchmarkOptions {
  Ts: number[];
  /** Tasks of the registry (their own sigma_y is ignored: the measurement is noiseless). */
  tasks: TaskName[];
  /** Seed of x_T (problem/seedRule.ts; each image's key is its index in the set). */
  seed: number;
  variants: SolverVariant[];
  /** Indices into the image set restored one at a time. */
  images: number[];
  /** x0 counts as reached when max |x0 - x0_serial| <= this. */
  target: number;
  /** Iteration cap per run, as a function of T. */
  maxIter: (T: number) => number;
  onProgress?: (done: number, total: number, label: string) => void;
}

export interface SolverRun {
  T: number;
  operator: string;
  image: number;
  solver: string;
  /** First iteration with max |x0 - serial| <= target, or null if not within the cap. */
  iterationsToTarget: number | null;
  /** max |x0 - serial| after each iteration. */
  x0Error: number[];
  /** DeqIR wall time until the target (or the cap), ms, and the serial chain's, same run. */
  wallMs: number;
  serialWallMs: number;
  msPerIteration: number;
}

/**
 * For each T, operator, image and solver: iterations until DeqIR's x0 is within `target` of the
 * serial chain's, and wall time of both measured side by side. The prior is a diagonal Gaussian
 * fitted to the first half of the image set; restored images come from the second half.
 */
export async function solverBenchmark(set: LabelledImages, opts: SolverBenchmarkOptions): Promise<SolverRun[]> {
  const shape: ImageShape = [set.height, set.width, 1];
  const half = Math.floor(set.count / 2);
  const fit = toSignedUnit(
    set,
    Array.from({ length: half }, (_, i) => i),
  );
  const model = fittedGaussianPrior(fit, half, shape);
  const runs: SolverRun[] = [];
  const total = opts.Ts.length * opts.tasks.length * opts.images.length;
  let done = 0;
  try {
    for (const T of opts.Ts) {
      for (const taskName of opts.tasks) {
        const opName = taskDefinition(taskName).label;
        const operator = createOperator(taskDefinition(taskName).spec, shape);
        try {
          for (const image of opts.images) {
            opts.onProgress?.(done++, total, `T=${T} ${opName} image ${image}`);
            runs.push(...(await imageRuns({ model, operator, opName, set, key: half + image, image, T }, opts)));
          }
        } finally {
          operator.dispose();
        }
      }
    }
  } finally {
    model.dispose?.();
  }
  opts.onProgress?.(total, total, 'done');
  return runs;
}

/** One image of the solver benchmark: which prior, operator and T restore it, and where it sits in the set. */
export interface SolverImage {
  model: EpsModel;
  operator: LinearOperator;
  /** The task's label, as the runs report it. */
  opName: string;
  set: LabelledImages;
  /** Index into the set; with the seed it also picks the image's measurement noise and x_T. */
  key: number;
  /** Index among the benchmark's restored images, as the runs report it. */
  image: number;
  T: number;
}

/** Every solver variant on one image: the serial chain first, then each variant's error curve against it. */
export async function imageRuns(
  { model, operator, opName, set, key, image, T }: SolverImage,
  opts: SolverBenchmarkOptions,
): Promise<SolverRun[]> {
  const owned = new OwnedTensors();
  try {
    const { truth, y, xT } = measuredBatch(operator, [{ key, pixels: toSignedUnit(set, [key]) }], opts.seed, 0);
    owned.keepAll([truth, y, xT]);
    const task = owned.keep(prepareRestoration({ model, operator, y, xT, sampling: { T } }));
    const serial = await serialChain(task);
    owned.keep(serial.x0);
    const ref = await serial.x0.data();
    const runs: SolverRun[] = [];
    for (const v of opts.variants) {
      const x0Error: number[] = [];
      const res = await deqRestore(
        task,
        {
          ...v.settings,
          tol: 0,
          maxIter: opts.maxIter(T),
          onIteration: async (_rec, { fx }) => {
            const last = tf.slice(fx, [T - 1], [1]);
            const d = await last.data();
            last.dispose();
            const e = maxAbsDiff(d, ref);
            x0Error.push(e);
            return e <= opts.target ? 'stop' : undefined;
          },
        },
        { init: v.init },
      );
      res.x0.dispose();
      const hit = x0Error.findIndex((e) => e <= opts.target);
      runs.push({
        T,
        operator: opName,
        image,
        solver: v.name,
        iterationsToTarget: hit < 0 ? null : hit + 1,
        x0Error,
        wallMs: res.wallMs,
        serialWallMs: serial.wallMs,
        msPerIteration: res.wallMs / res.iterations,
      });
    }
    return runs;
  } finally {
    owned.dispose();
  }
}
