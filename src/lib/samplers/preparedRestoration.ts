import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, ParameterError, ShapeError } from '../errors.js';
import { ddnmPlusStep, type DdnmPlusStep } from './ddnmPlusStep.js';
import type { EpsModel } from '../models/epsModel.js';
import { checkBatch, sameShape, type LinearOperator } from '../operators/linearOperator.js';
import { linearSchedule, type DiffusionSchedule } from '../schedule/linearSchedule.js';
import { stepCoefficients, type SamplingSettings, type StepCoefficients } from '../schedule/stepCoefficients.js';

/** Everything that fixes one restoration: the chain is a deterministic function of (xT, y, z). */
export interface RestorationInputs {
  model: EpsModel;
  operator: LinearOperator;
  /** Measurements [B, ...operator.measurementShape]. */
  y: tf.Tensor;
  /** Initial noise [B, H, W, C]. */
  xT: tf.Tensor4D;
  /**
   * Noise for the c1 term: one image per restoration [B, H, W, C] reused at every step (the
   * reference), or one per step [T, B, H, W, C] (pre-sampled, as ParaDiGMS). Not needed when nw = 0.
   */
  z?: tf.Tensor;
  sampling: SamplingSettings;
  schedule?: DiffusionSchedule;
  /**
   * Measurement noise of y (images in [-1, 1]). Above 0 the chain takes DDNM+'s noise-aware step
   * (samplers/ddnmPlusStep.ts) unless `rangeCorrection` is 'ddnm'; 0 (the default) is plain DDNM.
   */
  sigmaY?: number;
  /** 'ddnm+' (default): noise-aware when sigmaY > 0; 'ddnm': copy A+y whatever the noise, for comparison. */
  rangeCorrection?: RangeCorrection;
}

export type RangeCorrection = 'ddnm+' | 'ddnm';
const RANGE_CORRECTIONS: readonly RangeCorrection[] = ['ddnm+', 'ddnm'];

/**
 * Validated inputs plus the constants both samplers share (A+ y and the step coefficients).
 * Owns the tensors it creates; call dispose() when done. Inputs stay owned by the caller.
 */
export interface PreparedRestoration {
  readonly inputs: RestorationInputs;
  readonly coeffs: StepCoefficients;
  readonly batch: number;
  readonly Apy: tf.Tensor4D;
  /** DDNM+'s step when the task uses it (sigmaY > 0 and not plain DDNM), else null. */
  readonly ddnmPlus: DdnmPlusStep | null;
  /** What each step reads of y: A+y (DDNM) or ddnmPlus.measurementTerm(y). */
  readonly yTerm: tf.Tensor;
  /** True when the chain adds step noise (nw > 0): then noiseAt(k) gives it. */
  readonly hasStepNoise: boolean;
  /** Noise of step k as a tensor broadcastable to [B, H, W, C] (a new tensor for per-step noise), or null when nw = 0. */
  noiseAt(k: number): tf.Tensor | null;
  dispose(): void;
}

export function prepareRestoration(inputs: RestorationInputs): PreparedRestoration {
  const { model, operator: op, y, xT, z } = inputs;
  const schedule = inputs.schedule ?? linearSchedule();
  const coeffs = stepCoefficients(schedule, inputs.sampling);
  if (!sameShape(model.imageShape, op.imageShape)) {
    throw new ShapeError(`model images are [${model.imageShape.join(', ')}] but the operator expects [${op.imageShape.join(', ')}]`);
  }
  checkBatch(xT, op.imageShape, 'restoration', 'xT');
  checkBatch(y, op.measurementShape, 'restoration', 'y');
  const B = xT.shape[0];
  if (y.shape[0] !== B) throw new ShapeError(`restoration: y holds ${y.shape[0]} measurements but xT holds ${B} images`);
  assertFinite(y, 'y');
  assertFinite(xT, 'xT');
  const needsNoise = inputs.sampling.nw !== undefined && inputs.sampling.nw > 0;
  if (needsNoise && !z) throw new ShapeError('restoration: nw > 0 needs the noise z ([B, H, W, C] or [T, B, H, W, C])');
  let perStep = false;
  if (z) {
    perStep = z.rank === 5;
    const want = perStep ? [coeffs.T, B, ...op.imageShape] : [B, ...op.imageShape];
    if (!sameShape(z.shape, want)) throw new ShapeError(`restoration: z must have shape [${want.join(', ')}], got [${z.shape.join(', ')}]`);
    assertFinite(z, 'z');
  }
  const sigmaY = inputs.sigmaY ?? 0;
  if (!(sigmaY >= 0) || !Number.isFinite(sigmaY))
    throw new ParameterError(`restoration: sigmaY must be a finite number >= 0, got ${sigmaY}`);
  const correction = inputs.rangeCorrection ?? 'ddnm+';
  if (!RANGE_CORRECTIONS.includes(correction))
    throw new ParameterError(`restoration: rangeCorrection must be one of ${RANGE_CORRECTIONS.join(', ')}, got '${correction}'`);
  const Apy = op.Apinv(y);
  let ddnmPlus: DdnmPlusStep | null = null;
  let yTerm: tf.Tensor;
  try {
    ddnmPlus = sigmaY > 0 && correction === 'ddnm+' ? ddnmPlusStep(op, coeffs, sigmaY) : null;
    yTerm = ddnmPlus ? ddnmPlus.measurementTerm(y) : Apy;
  } catch (e) {
    ddnmPlus?.dispose();
    Apy.dispose();
    throw e;
  }
  return {
    inputs: { ...inputs, schedule },
    coeffs,
    batch: B,
    Apy,
    ddnmPlus,
    yTerm,
    hasStepNoise: needsNoise && !!z,
    noiseAt: (k) =>
      !needsNoise || !z ? null
      : perStep ? tf.gather(z, k)
      : z,
    dispose: () => {
      Apy.dispose();
      if (ddnmPlus) {
        yTerm.dispose();
        ddnmPlus.dispose();
      }
    },
  };
}

/**
 * The same task started from another x_T (same shape): shares A+y and the coefficients, owns
 * nothing, and skips the finiteness check, which reads back synchronously (fatal on WebGPU in a
 * worker). For loops that move x_T (initialization optimization): callers check the loss instead.
 */
export function withInitialNoise(task: PreparedRestoration, xT: tf.Tensor4D): PreparedRestoration {
  if (!sameShape(xT.shape, task.inputs.xT.shape)) {
    throw new ShapeError(`restoration: the new xT has shape [${xT.shape.join(', ')}], expected [${task.inputs.xT.shape.join(', ')}]`);
  }
  return { ...task, inputs: { ...task.inputs, xT }, dispose: () => {} };
}

function assertFinite(t: tf.Tensor, what: string): void {
  const bad = tf.tidy(() => tf.logicalNot(tf.all(tf.isFinite(t))).dataSync()[0]);
  if (bad) throw new NonFiniteError(`${what} contains NaN or Inf values`);
}
