import * as tf from '@tensorflow/tfjs-core';
import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { deqRestore } from '../deq/deqRestore.js';
import { optimizeInit } from '../gradients/initOptimization.js';
import { restorationGradient, type GradientOptions } from '../gradients/restorationGradient.js';
import { restorationLoss } from '../gradients/restorationLoss.js';
import { psnr } from '../metrics/psnr.js';
import type { EpsModel } from '../models/epsModel.js';
import { createOperator, type OperatorSpec } from '../operators/createOperator.js';
import type { LinearOperator } from '../operators/linearOperator.js';
import { OwnedTensors } from '../tensors/ownedTensors.js';
import { childSeed, gaussianArray } from '../random/prng.js';
import { prepareRestoration } from '../samplers/preparedRestoration.js';
import { cosineSimilarity, relativeL2 } from '../metrics/vectorStats.js';
import { WARM_START_TOL, defaultMaxIter } from '../deq/solvers/solverDefaults.js';

const SHAPE = [28, 28, 1] as const;

export interface GradientCostRow {
  prior: string;
  T: number;
  method: string;
  wallMs: number;
  nfeEquivalent: number;
  forwardIterations: number;
  adjointIterations: number;
  /** Against serial back-propagation, for dL/dxT and dL/dy. */
  relL2xT: number;
  relL2y: number;
  cosinexT: number;
  cosiney: number;
}

/** One centre-pixel loss on SR x4: cost and accuracy of each gradient method, side by side. */
export async function gradientCosts(
  priors: { name: string; model: EpsModel }[],
  Ts: number[],
  set: LabelledImages,
  methods: (T: number) => { name: string; opts: GradientOptions }[],
  onProgress?: (label: string) => void,
): Promise<GradientCostRow[]> {
  const rows: GradientCostRow[] = [];
  const owned = new OwnedTensors();
  try {
    const operator = owned.keep(createOperator({ kind: 'sr-avgpool', factor: 4 }, SHAPE));
    const x = owned.keep(tf.tensor4d(toSignedUnit(set, [200]), [1, ...SHAPE]));
    const y = owned.keep(operator.A(x));
    const xT = owned.keep(tf.tensor4d(gaussianArray(784, 5), [1, ...SHAPE]));
    const weights = new Float32Array(784);
    weights[14 * 28 + 14] = 1;
    const loss = owned.keep(restorationLoss({ kind: 'weighted-sum', weights }, operator, 1));
    for (const { name, model } of priors) {
      for (const T of Ts) {
        const results = new Map<string, { dxT: Float32Array; dy: Float32Array; r: Awaited<ReturnType<typeof restorationGradient>> }>();
        const task = prepareRestoration({ model, operator, y, xT, sampling: { T } });
        try {
          for (const m of [{ name: 'serial back-propagation', opts: { method: 'serial' } as GradientOptions }, ...methods(T)]) {
            onProgress?.(`${name} T=${T} ${m.name}`);
            const r = await restorationGradient(task, loss, m.opts);
            try {
              results.set(m.name, { dxT: (await r.dxT.data()) as Float32Array, dy: (await r.dy.data()) as Float32Array, r });
            } finally {
              [r.x0, r.dxT, r.dy].forEach((t) => t.dispose());
            }
          }
        } finally {
          task.dispose();
        }
        const ref = results.get('serial back-propagation')!;
        for (const [method, v] of results) {
          rows.push({
            prior: name,
            T,
            method,
            wallMs: v.r.wallMs,
            nfeEquivalent: v.r.nfeEquivalent,
            forwardIterations: v.r.forwardIterations,
            adjointIterations: v.r.adjointIterations,
            relL2xT: relativeL2(v.dxT, ref.dxT),
            relL2y: relativeL2(v.dy, ref.dy),
            cosinexT: cosineSimilarity(v.dxT, ref.dxT),
            cosiney: cosineSimilarity(v.dy, ref.dy),
          });
        }
      }
    }
  } finally {
    owned.dispose();
  }
  return rows;
}

export interface InitOptimizationRow {
  task: string;
  guide: string;
  image: number;
  psnrBefore: number;
  psnrAfter: number;
  /** PSNR of A+y, the trivial restorer, for reference. */
  psnrPinv: number;
  steps: number;
  wallMs: number;
}

/**
 * PSNR before/after initialization optimization (Adam on x_T, phantom gradient as the reference)
 * for a non-oracle guide (A+y) and the oracle (the ground truth itself, an upper bound only).
 */
export async function initOptimizationStudy(
  model: EpsModel,
  set: LabelledImages,
  tasks: { name: string; spec: OperatorSpec }[],
  images: number[],
  settings: { T: number; steps: number; lr: number },
  onProgress?: (label: string) => void,
): Promise<InitOptimizationRow[]> {
  const rows: InitOptimizationRow[] = [];
  for (const { name, spec } of tasks) {
    const operator = createOperator(spec, SHAPE);
    try {
      for (const image of images) rows.push(...(await initOptimizationOfImage(model, operator, name, set, image, settings, onProgress)));
    } finally {
      operator.dispose();
    }
  }
  return rows;
}

/** One image of the study: DeqIR's PSNR from its seeded x_T, then after optimizing x_T towards each guide. */
async function initOptimizationOfImage(
  model: EpsModel,
  operator: LinearOperator,
  name: string,
  set: LabelledImages,
  image: number,
  settings: { T: number; steps: number; lr: number },
  onProgress?: (label: string) => void,
): Promise<InitOptimizationRow[]> {
  const owned = new OwnedTensors();
  try {
    const x = owned.keep(tf.tensor4d(toSignedUnit(set, [image]), [1, ...SHAPE]));
    const y = owned.keep(operator.A(x));
    const pinv = owned.keep(operator.Apinv(y));
    const xT = owned.keep(tf.tensor4d(gaussianArray(784, childSeed(image, 7)), [1, ...SHAPE]));
    const inputs = { model, operator, y, xT, sampling: { T: settings.T } };
    const plain = owned.keep(prepareRestoration(inputs));
    const before = await deqRestore(plain, { kind: 'picard', tol: WARM_START_TOL, maxIter: defaultMaxIter(settings.T) });
    const psnrBefore = psnr(owned.keep(before.x0), x);
    const rows: InitOptimizationRow[] = [];
    for (const guide of ['A+y (non-oracle)', 'ground truth (oracle upper bound)']) {
      onProgress?.(`${name} image ${image} guide ${guide}`);
      const target = guide.startsWith('A+y') ? pinv : x;
      const loss = owned.keep(restorationLoss({ kind: 'guide', guide: (await target.data()) as Float32Array }, operator, 1));
      const res = await optimizeInit(inputs, loss, {
        lr: settings.lr,
        steps: settings.steps,
        method: 'phantom',
        phantomSteps: 1,
        phantomTau: 0.1,
        groundTruth: x,
      });
      owned.keepAll([res.xT, res.x0]);
      rows.push({
        task: name,
        guide,
        image,
        psnrBefore,
        psnrAfter: res.history.at(-1)!.psnr!,
        psnrPinv: psnr(pinv, x),
        steps: res.history.length - 1,
        wallMs: res.history.at(-1)!.wallMs,
      });
    }
    return rows;
  } finally {
    owned.dispose();
  }
}
