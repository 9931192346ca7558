import { deqRestore } from '../deq/deqRestore.js';
import type { InitKind } from '../deq/deqSystem.js';
import { toSignedUnit } from '../data/labelledImages.js';
import { ShapeError } from '../errors.js';
import type { EpsModel } from '../models/epsModel.js';
import { psnrOfArrays } from '../metrics/psnr.js';
import type { TaskName } from '../operators/taskRegistry.js';
import { buildRestorationProblem, type ProblemImage } from '../problem/restorationProblem.js';
import { DEFAULT_INIT, solverSettingsFor, type SolverChoice } from '../restoration/defaults.js';
import { serialChain } from '../samplers/serialChain.js';
import { loadBenchmarkSubset } from './benchmarkSubset.js';
import { readPngGrey } from './pngImage.js';

/** `deqir restore`'s work, without the printing: the CLI, its tests and the consistency test call it. */
export interface RestoreImageOptions {
  model: EpsModel;
  /** A clean PNG of the model's size, or image `subsetImage` of the shipped subset. */
  input: { png: string } | { subsetImage: number };
  task: TaskName;
  method: 'deqir' | 'serial';
  T: number;
  seed: number;
  solver?: SolverChoice;
  init?: InitKind;
}

export interface RestoredImage {
  task: TaskName;
  method: 'deqir' | 'serial';
  T: number;
  width: number;
  height: number;
  /** Flat [H, W, C] arrays in [-1, 1] (y in the measurement's own shape). */
  truth: Float32Array;
  y: Float32Array;
  ATy: Float32Array;
  xT: Float32Array;
  Apy: Float32Array;
  x0: Float32Array;
  psnr: number;
  psnrApy: number;
  nfe: number;
  sequentialDepth: number;
  iterations: number;
  converged: boolean;
  wallMs: number;
}

export async function restoreImage(o: RestoreImageOptions): Promise<RestoredImage> {
  const [H, W, C] = o.model.imageShape;
  const image = await loadInput(o.input, H, W, C);
  const p = buildRestorationProblem(o.model, { task: o.task, seed: o.seed, T: o.T }, [image]);
  try {
    const res =
      o.method === 'serial'
        ? { ...(await serialChain(p.task)), iterations: o.T, converged: true }
        : await deqRestore(p.task, solverSettingsFor(o.T, o.solver), { init: o.init ?? DEFAULT_INIT });
    const x0 = (await res.x0.data()) as Float32Array;
    res.x0.dispose();
    const ATy = p.operator.AT(p.y);
    const [y, xT, Apy, aty] = [await p.y.data(), await p.xT.data(), await p.task.Apy.data(), await ATy.data()] as Float32Array[];
    ATy.dispose();
    return {
      task: o.task,
      method: o.method,
      T: o.T,
      width: W,
      height: H,
      truth: image.pixels,
      y,
      ATy: aty,
      xT,
      Apy,
      x0,
      psnr: psnrOfArrays(x0, image.pixels),
      psnrApy: psnrOfArrays(Apy, image.pixels),
      nfe: res.nfe,
      sequentialDepth: res.sequentialDepth,
      iterations: res.iterations,
      converged: res.converged,
      wallMs: res.wallMs,
    };
  } finally {
    p.dispose();
  }
}

/** The seed rule's key: the subset index for a shipped image, batch position 0 for a PNG. */
async function loadInput(input: RestoreImageOptions['input'], H: number, W: number, C: number): Promise<ProblemImage> {
  if ('subsetImage' in input) {
    const set = loadBenchmarkSubset();
    const i = input.subsetImage;
    if (!Number.isInteger(i) || i < 0 || i >= set.count) throw new ShapeError(`--image must be an integer from 0 to ${set.count - 1}, got ${i}`);
    return { key: i, pixels: toSignedUnit(set, [i]) };
  }
  const png = await readPngGrey(input.png);
  if (png.width !== W || png.height !== H || C !== 1)
    throw new ShapeError(`${input.png} is ${png.width}x${png.height}; the model restores ${W}x${H} grey images — resize it first (e.g. convert ${input.png} -resize ${W}x${H}! small.png)`);
  return { key: 0, pixels: png.pixels };
}
