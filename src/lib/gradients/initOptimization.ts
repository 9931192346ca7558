import * as tf from '@tensorflow/tfjs-core';
import { ParameterError, throwIfAborted } from '../errors.js';
import { prepareRestoration, withInitialNoise, type RestorationInputs, type PreparedRestoration } from '../samplers/preparedRestoration.js';
import { psnrAsync } from '../metrics/psnr.js';
import { adamUpdate, createAdamState } from '../optim/adam.js';
import { restorationGradient, type GradientMethod } from './restorationGradient.js';
import type { RestorationLoss } from './restorationLoss.js';
import { WARM_START_TOL, defaultMaxIter } from '../deq/solvers/solverDefaults.js';

export interface InitOptimizationOptions {
  /** Adam step size on x_T (the reference uses 2e-5 over up to 2000 steps). */
  lr?: number;
  steps?: number;
  /** implicit (exact) or phantom (the reference: one damped step, tau 0.1). */
  method?: Exclude<GradientMethod, 'serial'>;
  phantomSteps?: number;
  phantomTau?: number;
  /** Forward solve iteration cap; each step warm-starts from the previous equilibrium. */
  maxIter?: number;
  /** Clean image to report PSNR against (pixel range [-1, 1]); never used by the optimisation. */
  groundTruth?: tf.Tensor4D;
  /** Read back x0 every this many steps (0: never). */
  keepImagesEvery?: number;
  signal?: AbortSignal;
  /** Called after every step; x0 is borrowed (valid during the call only). */
  onStep?: (rec: InitStepRecord, x0: tf.Tensor4D) => void | Promise<void>;
}

export interface InitStepRecord {
  step: number;
  loss: number;
  psnr?: number;
  forwardIterations: number;
  wallMs: number;
}

export interface InitOptimizationResult {
  xT: tf.Tensor4D;
  x0: tf.Tensor4D;
  history: InitStepRecord[];
  images: { step: number; x0: Float32Array }[];
  /** 'nan' when the loss became NaN/Inf: the result is the last finite iterate. */
  stoppedBy: 'steps' | 'nan';
}

/**
 * Initialization optimization: Adam on x_T for a loss of the restored x_0 (a guide distance,
 * consistency, ...), with gradients through the equilibrium. The forward solve of each step starts
 * from the previous step's equilibrium, which is what makes these gradients cheap.
 */
export async function optimizeInit(
  source: RestorationInputs | PreparedRestoration,
  loss: RestorationLoss,
  opts: InitOptimizationOptions = {},
): Promise<InitOptimizationResult> {
  const lr = opts.lr ?? 2e-5;
  const steps = opts.steps ?? 100;
  if (!(lr > 0) || !Number.isFinite(lr)) throw new ParameterError(`init optimization: lr must be a positive number, got ${lr}`);
  if (!Number.isInteger(steps) || steps < 1) throw new ParameterError(`init optimization: steps must be an integer >= 1, got ${steps}`);
  const start = performance.now();
  // Adam's records own the iterate: params.xT is replaced (and the old one disposed) by each update.
  // Validated once (or prepared by the caller, e.g. on the cpu backend in a WebGPU worker); each
  // step swaps in the current x_T, and a NaN shows up in the loss instead.
  const owned = !('coeffs' in source);
  const base = owned ? prepareRestoration(source) : source;
  const params = { xT: tf.clone(base.inputs.xT) as tf.Tensor };
  const adam = createAdamState(params);
  let warm: tf.Tensor | undefined;
  let x0: tf.Tensor4D | undefined;
  const history: InitStepRecord[] = [];
  const images: { step: number; x0: Float32Array }[] = [];
  let stoppedBy: InitOptimizationResult['stoppedBy'] = 'steps';
  try {
    for (let step = 0; step <= steps; step++) {
      throwIfAborted(opts.signal);
      const task = withInitialNoise(base, params.xT as tf.Tensor4D);
      const r = await restorationGradient(task, loss, {
        method: opts.method ?? 'implicit',
        phantomSteps: opts.phantomSteps,
        phantomTau: opts.phantomTau,
        solver: { kind: 'picard', tol: WARM_START_TOL, maxIter: opts.maxIter ?? defaultMaxIter(task.coeffs.T) },
        init: warm,
        keepState: true,
        signal: opts.signal,
      });
      warm?.dispose();
      warm = r.state;
      if (!Number.isFinite(r.loss)) {
        [r.x0, r.dxT, r.dy].forEach((t) => t.dispose());
        stoppedBy = 'nan';
        break;
      }
      x0?.dispose();
      x0 = r.x0;
      r.dy.dispose();
      try {
        const rec: InitStepRecord = {
          step,
          loss: r.loss,
          forwardIterations: r.forwardIterations,
          wallMs: performance.now() - start,
          psnr: opts.groundTruth ? await psnrAsync(x0, opts.groundTruth) : undefined,
        };
        history.push(rec);
        if (opts.keepImagesEvery && step % opts.keepImagesEvery === 0) images.push({ step, x0: (await x0.data()) as Float32Array });
        await opts.onStep?.(rec, x0);
        if (step === steps) break;
        adamUpdate(params, { xT: r.dxT }, adam, { lr });
      } finally {
        r.dxT.dispose();
      }
    }
  } catch (e) {
    [params.xT, x0].forEach((x) => x?.dispose());
    throw e;
  } finally {
    [adam.m.xT, adam.v.xT, warm].forEach((x) => x?.dispose());
    if (owned) base.dispose();
  }
  if (!x0) {
    params.xT.dispose();
    throw new ParameterError('init optimization: the loss was not finite at the start');
  }
  return { xT: params.xT as tf.Tensor4D, x0, history, images, stoppedBy };
}
