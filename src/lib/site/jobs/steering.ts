import { ParameterError } from '../../errors.js';
import { optimizeInit, type InitStepRecord } from '../../gradients/initOptimization.js';
import { restorationLoss } from '../../gradients/restorationLoss.js';
import type { EpsModel } from '../../models/epsModel.js';
import type { JobSettings } from '../jobSettings.js';
import type { SteeringRequest } from '../gradientSettings.js';
import type { RunOptions } from './demo.js';
import { psnrOfArrays } from '../../metrics/psnr.js';
import { yieldToEvents } from '../progress.js';
import { jobProblem } from './jobProblem.js';
import { OwnedTensors } from '../../tensors/ownedTensors.js';

export interface SteeringResult {
  model: string;
  task: string;
  T: number;
  request: SteeringRequest;
  imageShape: number[];
  yShape: number[];
  images: { truth: number[]; y: number[]; guide: number[] };
  /** PSNR of the guide A+y; null for the oracle guide (the truth itself). */
  psnrGuide: number | null;
  history: InitStepRecord[];
  /** x0 after every step (step 0 = plain DeqIR from the page's x_T). */
  frames: number[][];
  stoppedBy: 'steps' | 'nan';
  wallMs: number;
}

/**
 * Initialization optimization live: Adam on x_T for ||x0 - guide||^2, gradients through the
 * equilibrium, one progress message (loss, PSNR, x0) per step.
 */
export async function runSteering(
  model: EpsModel,
  s: JobSettings,
  truth: Float32Array,
  req: SteeringRequest,
  opts: RunOptions = {},
): Promise<SteeringResult> {
  if (!(req.lr > 0) || !Number.isInteger(req.steps) || req.steps < 1)
    throw new ParameterError(`steering: lr must be > 0 and steps an integer >= 1 (got ${req.lr}, ${req.steps})`);
  const owned = new OwnedTensors();
  const p = owned.keep(await jobProblem(model, s, truth));
  try {
    const guide = req.guide === 'oracle' ? Array.from(truth) : Array.from(await p.task.Apy.data());
    const loss = owned.keep(restorationLoss({ kind: 'guide', guide }, p.operator, 1));
    const frames: number[][] = [];
    const res = await optimizeInit(p.task, loss, {
      lr: req.lr,
      steps: req.steps,
      method: req.method,
      phantomSteps: 1,
      phantomTau: 0.1,
      maxIter: s.T,
      signal: opts.signal,
      onStep: async (rec, x0) => {
        const frame = Array.from(await x0.data());
        frames.push(frame);
        opts.onProgress?.({
          phase: 'steer',
          step: rec.step,
          of: req.steps,
          loss: rec.loss,
          psnr: psnrOfArrays(frame, truth),
          forwardIterations: rec.forwardIterations,
          wallMs: rec.wallMs,
          x0: frame,
        });
        await yieldToEvents();
      },
    });
    [res.xT, res.x0].forEach((t) => t.dispose());
    return {
      model: model.name,
      task: p.operator.description,
      T: s.T,
      request: req,
      imageShape: [...model.imageShape],
      yShape: [...p.operator.measurementShape],
      images: { truth: Array.from(truth), y: Array.from(await p.y.data()), guide },
      psnrGuide: req.guide === 'oracle' ? null : psnrOfArrays(guide, truth),
      // PSNR after clipping to [-1, 1], as on every page.
      history: res.history.map((h, i) => ({ ...h, psnr: psnrOfArrays(frames[i], truth) })),
      frames,
      stoppedBy: res.stoppedBy,
      wallMs: res.history.at(-1)?.wallMs ?? 0,
    };
  } finally {
    owned.dispose();
  }
}
