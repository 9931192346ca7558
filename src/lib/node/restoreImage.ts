import { deqRestore } from '../deq/deqRestore.js';
import { type InitKind, DEFAULT_INIT } from '../deq/deqDefaults.js';
import { toSignedUnit } from '../data/labelledImages.js';
import { shippedSubsetFor } from '../data/shippedSubset.js';
import { ShapeError } from '../errors.js';
import type { EpsModel } from '../models/epsModel.js';
import { psnrOfArrays } from '../metrics/psnr.js';
import { checkTaskChannels, type TaskName } from '../operators/taskRegistry.js';
import { buildRestorationProblem, type ProblemImage } from '../problem/restorationProblem.js';
import { solverSettingsFor, type SolverChoice } from '../deq/solvers/solverDefaults.js';
import { serialChain } from '../samplers/serialChain.js';
import { loadBenchmarkSubset } from './benchmarkSubset.js';
import { UNetEpsModel } from '../models/unet/unetModel.js';
import { checkMemoryBudget, estimateMemory, memoryBudgetBytes } from '../problem/memoryEstimate.js';
import { readInputFile } from './inputFile.js';
import { decodePng, pngHeader } from './pngImage.js';

/** `deqir restore`'s work, without the printing: the CLI, its tests and the consistency test call it. */
export interface RestoreImageOptions {
  model: EpsModel;
  /**
   * A clean PNG of the model's size (read with the model's channel count: a grey PNG for a colour
   * model is R = G = B), or image `subsetImage` of the shipped subset of the model's image shape.
   */
  input: { png: string } | { subsetImage: number };
  task: TaskName;
  method: 'deqir' | 'serial';
  T: number;
  seed: number;
  solver?: SolverChoice;
  init?: InitKind;
  /** Refuse before allocating when the estimated peak memory exceeds this (default: limits.ts's budget). */
  memoryBudgetBytes?: number;
  /** Said in a refusal: how to raise the budget (the CLI's flag). */
  budgetHint?: string;
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
  // Before reading or allocating anything: a grey prior cannot run colorize.
  checkTaskChannels(o.task, o.model.imageShape);
  const image = await loadInput(o.input, H, W, C);
  const settings = solverSettingsFor(o.T, o.solver);
  const kind = o.method === 'serial' ? 'serial' : settings.kind;
  checkMemoryBudget(
    estimateMemory({
      batch: 1,
      imageShape: [H, W, C],
      T: o.T,
      solver: { kind, m: 'm' in settings ? settings.m : undefined },
      prior: o.model instanceof UNetEpsModel ? { kind: 'unet', config: o.model.config } : { kind: 'gaussian' },
      operatorFloats: 12 * (2 * H * H + 2 * W * W),
    }),
    o.memoryBudgetBytes ?? memoryBudgetBytes(),
    o.budgetHint,
  );
  const p = buildRestorationProblem(o.model, { task: o.task, seed: o.seed, T: o.T }, [image]);
  try {
    const res =
      o.method === 'serial' ?
        { ...(await serialChain(p.task)), iterations: o.T, converged: true }
      : await deqRestore(p.task, settings, { init: o.init ?? DEFAULT_INIT });
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
    const subset = shippedSubsetFor([H, W, C]);
    if (!subset) throw new ShapeError(`no shipped subset has [${H}, ${W}, ${C}] images like the model; give IMAGE.png instead of --image`);
    const set = loadBenchmarkSubset(undefined, subset);
    const i = input.subsetImage;
    if (!Number.isInteger(i) || i < 0 || i >= set.count)
      throw new ShapeError(`--image must be an integer from 0 to ${set.count - 1}, got ${i}`);
    return { key: i, pixels: toSignedUnit(set, [i]) };
  }
  const bytes = await readInputFile(input.png, 'png');
  // The size from the header, before decoding: a huge PNG is refused without being decoded.
  const { width, height } = pngHeader(bytes, input.png);
  const kind =
    C === 1 ? 'grey'
    : C === 3 ? 'colour'
    : undefined;
  if (width !== W || height !== H || !kind)
    throw new ShapeError(
      `${input.png} is ${width}x${height}; the model restores ${W}x${H} ${kind ?? `${C}-channel`} images — resize it first (e.g. convert ${input.png} -resize ${W}x${H}! small.png)`,
    );
  return { key: 0, pixels: decodePng(bytes, input.png, C as 1 | 3).pixels };
}
