import { deqRestore } from '../../deq/deqRestore.js';
import type { EpsModel } from '../../models/epsModel.js';
import { maxIterOf, type JobSettings } from '../jobSettings.js';
import { maxAbsDiff } from '../../metrics/vectorStats.js';
import { psnrOfArrays } from '../../metrics/psnr.js';
import { iterateX0ToSerial } from '../../metrics/x0ToSerial.js';
import { yieldToEvents, type ProgressFn } from '../progress.js';
import { jobProblem } from './jobProblem.js';
import { serialWithProgress, jobSolverSettings } from './serialWithProgress.js';

export interface FigureImage {
  /** [H, W, C] of one image (y may have another shape than the image). */
  shape: number[];
  data: number[];
}

export interface MethodStats {
  nfe: number;
  sequentialDepth: number;
  wallMs: number;
  psnr: number;
}

export interface DemoResult {
  model: string;
  task: string;
  T: number;
  solver: string;
  images: { truth: FigureImage; y: FigureImage; Apy: FigureImage; serial: FigureImage; deq: FigureImage };
  serial: MethodStats;
  deq: MethodStats & {
    iterations: number;
    converged: boolean;
    stoppedBy: string;
    /** The rule the run stopped by, and its tolerance. */
    rule: string;
    tol: number;
    /** Per iteration: relative residual, PSNR of that iterate's x0 to the serial x0, timesteps final, NFE so far. */
    relResidual: number[];
    psnrToSerial: number[];
    finishedRows: number[];
    nfeAt: number[];
    maxAbsDiffToSerial: number;
  };
  psnrApy: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: ProgressFn;
}

const round = (a: ArrayLike<number>, digits = 4) => Array.from(a, (v) => Math.round(v * 10 ** digits) / 10 ** digits);

/**
 * The overview demo: restore one image the serial way and the DeqIR way from the same x_T, and
 * report what each cost on this device (wall time includes reading the result back).
 */
export async function runDemo(model: EpsModel, s: JobSettings, truthPixels: Float32Array, opts: RunOptions = {}): Promise<DemoResult> {
  const p = await jobProblem(model, s, truthPixels);
  const img = [...model.imageShape];
  try {
    const serial = await serialWithProgress(p.task, s.T, opts);
    const serialX0 = (await serial.x0.data()) as Float32Array;
    serial.x0.dispose();
    // The serial x0 is known here, so each iterate's distance to it is shown beside the residual the rule reads.
    const psnrToSerial: number[] = [];
    const settings = jobSolverSettings(s, s.solver, true, opts.signal, async (rec, { fx }) => {
      psnrToSerial.push((await iterateX0ToSerial(fx, s.T, serialX0, 1)).psnr[0]);
      opts.onProgress?.({ phase: 'deq', iteration: rec.iteration, maxIter: maxIterOf(s), relResidual: rec.relResidual });
      await yieldToEvents();
    });
    const deq = await deqRestore(p.task, settings, { init: s.init });
    const deqX0 = (await deq.x0.data()) as Float32Array;
    deq.x0.dispose();
    const [y, Apy] = [await p.y.data(), await p.task.Apy.data()];
    return {
      model: model.name,
      task: p.operator.description,
      T: s.T,
      solver: s.solver,
      images: {
        truth: { shape: img, data: round(truthPixels) },
        y: { shape: [...p.operator.measurementShape], data: round(y) },
        Apy: { shape: img, data: round(Apy) },
        serial: { shape: img, data: round(serialX0) },
        deq: { shape: img, data: round(deqX0) },
      },
      serial: {
        nfe: serial.nfe,
        sequentialDepth: serial.sequentialDepth,
        wallMs: serial.wallMs,
        psnr: psnrOfArrays(serialX0, truthPixels),
      },
      deq: {
        nfe: deq.nfe,
        sequentialDepth: deq.sequentialDepth,
        wallMs: deq.wallMs,
        psnr: psnrOfArrays(deqX0, truthPixels),
        iterations: deq.iterations,
        converged: deq.converged,
        stoppedBy: deq.stoppedBy,
        rule: settings.rule ?? '',
        tol: settings.tol ?? 0,
        relResidual: deq.history.map((h) => h.relResidual),
        psnrToSerial,
        finishedRows: deq.history.map((h) => h.finishedRows),
        nfeAt: deq.history.map((h) => h.nfe),
        maxAbsDiffToSerial: maxAbsDiff(deqX0, serialX0),
      },
      psnrApy: psnrOfArrays(Apy, truthPixels),
    };
  } finally {
    p.dispose();
  }
}
