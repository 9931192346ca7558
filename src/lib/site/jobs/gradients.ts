import * as tf from '@tensorflow/tfjs-core';
import { cosineSimilarity, relativeL2 } from '../../metrics/vectorStats.js';
import { ParameterError } from '../../errors.js';
import { restorationGradient, type GradientMethod } from '../../gradients/restorationGradient.js';
import { restorationLoss } from '../../gradients/restorationLoss.js';
import type { EpsModel } from '../../models/epsModel.js';
import type { JobSettings } from '../jobSettings.js';
import type { GradientRequest } from '../gradientSettings.js';
import type { RunOptions } from './demo.js';
import { yieldToEvents } from '../progress.js';
import { jobProblem } from './jobProblem.js';
import { GRADIENT_TOL, defaultMaxIter } from '../../deq/solvers/solverDefaults.js';
import { checkMemoryBudget, estimateMemory, memoryBudgetBytes, type MemoryEstimate } from '../../problem/memoryEstimate.js';
import { WORKER_MEMORY_BUDGET_MB } from '../../bounds.js';
import { UNetEpsModel } from '../../models/unet/unetModel.js';
import { releasingTapeOnFailure } from '../../tensors/releasingTapeOnFailure.js';
import { OwnedTensors } from '../../tensors/ownedTensors.js';

export interface Agreement {
  relativeL2: number;
  cosine: number;
}

export interface GradientMap {
  method: GradientMethod;
  loss: number;
  /** dL/dy in y's layout and dL/dxT in the image's, float values. */
  dy: number[];
  dxT: number[];
  forwardIterations: number;
  adjointIterations: number;
  nfeEquivalent: number;
  wallMs: number;
  /** Against the reference method (serial back-propagation when it ran, else the first method). */
  agreement: { reference: GradientMethod; dy: Agreement; dxT: Agreement };
}

export interface GradientsResult {
  model: string;
  task: string;
  T: number;
  region: number[];
  imageShape: number[];
  yShape: number[];
  images: { truth: number[]; y: number[]; xT: number[]; x0: number[] };
  /**
   * dL/dy if x0 were A+y alone: the last DDNM step adds A+y to the network's null-space part, so this
   * much of every y-attribution is the operator, not the prior. `maps[i].dy - directDy` is what the
   * prior contributes.
   */
  directDy: number[];
  maps: GradientMap[];
}

/** The peak memory of a gradients job: its most expensive method (they run one after another). */
export function gradientJobEstimate(model: EpsModel, s: JobSettings, req: GradientRequest): MemoryEstimate {
  const [H, W, C] = model.imageShape;
  const prior = model instanceof UNetEpsModel ? ({ kind: 'unet', config: model.config } as const) : ({ kind: 'gaussian' } as const);
  const estimates = req.methods.map((gradient) =>
    estimateMemory({
      batch: 1,
      imageShape: [H, W, C],
      T: s.T,
      solver: { kind: 'picard' },
      prior,
      operatorFloats: 12 * (2 * H * H + 2 * W * W),
      gradient,
      phantomSteps: req.phantomSteps,
    }),
  );
  return estimates.reduce((a, b) => (b.bytes > a.bytes ? b : a));
}

/**
 * Gradients of "mean of the restored image over a region" with respect to the measurement y and the
 * initial noise x_T, by each requested method, on one problem built from page settings.
 */
export async function runGradients(
  model: EpsModel,
  s: JobSettings,
  truth: Float32Array,
  req: GradientRequest,
  opts: RunOptions = {},
): Promise<GradientsResult> {
  if (req.methods.length === 0) throw new ParameterError('gradients: choose at least one method');
  // Refused with the reason before anything is allocated, instead of aborting the worker.
  checkMemoryBudget(gradientJobEstimate(model, s, req), memoryBudgetBytes(WORKER_MEMORY_BUDGET_MB), '', {
    advice:
      'lower the phantom steps K or T with the sliders (the browser worker keeps within this budget so that it does not run out of memory)',
  });
  const owned = new OwnedTensors();
  const p = owned.keep(await jobProblem(model, s, truth));
  try {
    // Inside the try: a region the operator refuses must not leave the problem's tensors behind.
    const loss = owned.keep(restorationLoss({ kind: 'region', mask: req.region }, p.operator, 1));
    const raw: (Omit<GradientMap, 'agreement'> & { x0: Float32Array })[] = [];
    for (const [i, method] of req.methods.entries()) {
      opts.onProgress?.({ phase: 'gradient', method, index: i + 1, of: req.methods.length });
      await yieldToEvents();
      const r = await restorationGradient(p.task, loss, {
        method,
        phantomSteps: req.phantomSteps,
        phantomTau: req.phantomTau,
        solver: { kind: 'picard', tol: GRADIENT_TOL, maxIter: defaultMaxIter(s.T) },
        init: s.init,
        signal: opts.signal,
      });
      const [x0, dy, dxT] = await Promise.all([r.x0.data(), r.dy.data(), r.dxT.data()]);
      [r.x0, r.dy, r.dxT].forEach((t) => t.dispose());
      raw.push({
        method,
        loss: r.loss,
        dy: Array.from(dy),
        dxT: Array.from(dxT),
        x0: x0 as Float32Array,
        forwardIterations: r.forwardIterations,
        adjointIterations: r.adjointIterations,
        nfeEquivalent: r.nfeEquivalent,
        wallMs: r.wallMs,
      });
    }
    const ref = raw.find((m) => m.method === 'serial') ?? raw[0];
    const agree = (a: number[], b: number[]): Agreement => ({ relativeL2: relativeL2(a, b), cosine: cosineSimilarity(a, b) });
    const direct = tf.tidy(() =>
      releasingTapeOnFailure(() => tf.grad((y: tf.Tensor) => loss.value(p.operator.Apinv(y) as tf.Tensor4D, y))(p.y)),
    );
    const [y, xT, directDy] = await Promise.all([p.y.data(), p.xT.data(), direct.data()]);
    direct.dispose();
    return {
      model: model.name,
      task: p.operator.description,
      T: s.T,
      region: Array.from(req.region),
      imageShape: [...model.imageShape],
      yShape: [...p.operator.measurementShape],
      images: { truth: Array.from(truth), y: Array.from(y), xT: Array.from(xT), x0: Array.from(ref?.x0 ?? []) },
      directDy: Array.from(directDy),
      maps: raw.map(({ x0: _, ...m }) => ({
        ...m,
        agreement: { reference: ref.method, dy: agree(m.dy, ref.dy), dxT: agree(m.dxT, ref.dxT) },
      })),
    };
  } finally {
    owned.dispose();
  }
}
