import * as tf from '@tensorflow/tfjs-core';
import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { OwnedTensors } from '../tensors/ownedTensors.js';
import { psnrPerImage } from '../metrics/psnr.js';
import { ssim } from '../metrics/ssim.js';
import type { EpsModel } from '../models/epsModel.js';
import type { ImageShape } from '../image/imageShape.js';
import { createOperator } from '../operators/createOperator.js';
import { taskDefinition } from '../operators/taskRegistry.js';
import { measuredBatch, stepNoiseBatch } from '../problem/restorationProblem.js';
import { featuresOf, type Classifier } from '../quality/classifier.js';
import { referenceMethodName, serialChainOf, type MethodCost, type MethodSettings, type RestorationMethod } from './restorationMethods.js';
import { groupBy, meanCi, pairedDifference, type MeanCi } from '../metrics/statistics.js';

/** One degradation of the benchmark: a task of the registry (operators/taskRegistry.ts) and its sigma_y. */
export interface BenchmarkCellTask {
  preset: string;
  sigmaY: number;
}

export interface ImageResult extends MethodCost {
  image: number;
  /** PSNR and SSIM of the clipped x0 against the truth; consistency ||A x0 - y|| (L2, unclipped). */
  psnr: number;
  ssim: number;
  consistency: number;
  /** 1 when the shipped classifier gives the restored (clipped) image its true label, else 0. */
  correct?: number;
}

/** One (task, sigma_y, method) cell: the unit a run saves and resumes by. */
export interface CellResult {
  key: string;
  task: string;
  description: string;
  sigmaY: number;
  method: string;
  family: RestorationMethod['family'];
  T: number;
  oracle: boolean;
  images: ImageResult[];
  /** The whole method on all images, wall clock, ms. */
  cellWallMs: number;
  /** Largest tf.memory() seen during the cell (tensor count and bytes, model weights included). */
  peakTensors: number;
  peakBytes: number;
  /** The commit that measured this cell (a resumed file can hold cells of several runs). */
  gitCommit?: string;
}

const cellKey = (preset: string, sigmaY: number, method: string) => `${preset}|${sigmaY}|${method}`;

/** The classifier that labels restored images, and how often it is right on the clean ones. */
export interface LabelCheck {
  classifier: Classifier;
  /** Per image of the run: 1 when the classifier labels the clean image correctly. */
  cleanCorrect: Map<number, number>;
}

export async function labelCheck(classifier: Classifier, set: LabelledImages, images: number[]): Promise<LabelCheck> {
  const { predicted } = await featuresOf(classifier, toSignedUnit(set, images), images.length);
  return { classifier, cleanCorrect: new Map(images.map((i, b) => [i, predicted[b] === set.labels[i] ? 1 : 0])) };
}

export interface QualityBenchmarkOptions {
  model: EpsModel;
  set: LabelledImages;
  images: number[];
  cells: BenchmarkCellTask[];
  methods: RestorationMethod[];
  seed: number;
  /** Label each restored image with this classifier (accuracy against the true labels). */
  labels?: LabelCheck;
  /** Cells already measured (a resumed run): skipped. */
  done?: ReadonlyMap<string, CellResult>;
  /** Called after every measured cell (save it: the run can stop and resume there). */
  onCell?: (cell: CellResult) => void | Promise<void>;
  /** Sees each cell's problem and restored x0 before they are freed (tests check one problem is one problem everywhere). */
  onRestored?: (r: { key: string; images: number[]; y: tf.Tensor; xT: tf.Tensor4D; x0: tf.Tensor4D }) => void | Promise<void>;
  /** Work units are estimated network evaluations. */
  onProgress?: (done: number, total: number, label: string) => void;
}

/**
 * The quality benchmark: every method on every (task, sigma_y) cell for the same images, the same
 * x_T, measurement noise and step noise (all seeded per image, so a slice of the images gives the
 * same numbers as the full run for those images). Returns the cells measured now.
 */
export async function qualityBenchmark(o: QualityBenchmarkOptions): Promise<CellResult[]> {
  const shape: ImageShape = [o.set.height, o.set.width, o.set.channels];
  const B = o.images.length;
  // The shipped subset's index is each image's key in the seed rule (problem/seedRule.ts).
  const images = o.images.map((key) => ({ key, pixels: toSignedUnit(o.set, [key]) }));
  const applies = (c: BenchmarkCellTask, m: RestorationMethod) =>
    !m.restrict?.cells || m.restrict.cells.some((r) => r.preset === c.preset && r.sigmaY === c.sigmaY);
  const imagesOf = (m: RestorationMethod) => Math.min(B, m.restrict?.images ?? B);
  const todo = o.cells
    .flatMap((c) => o.methods.map((m) => ({ c, m })))
    .filter(({ c, m }) => applies(c, m) && !o.done?.has(cellKey(c.preset, c.sigmaY, m.name)));
  const total = todo.reduce((a, { m }) => a + (m.costEstimate + 1) * imagesOf(m), 0);
  let progress = 0;
  const out: CellResult[] = [];
  const noise = (T: number) => stepNoiseBatch(o.images, o.seed, shape, 'per-step', T);
  for (const c of o.cells) {
    const mine = todo.filter((t) => t.c === c);
    if (!mine.length) continue;
    const task = taskDefinition(c.preset);
    // The cell's problem, and each method's tensors: freed when done, or when a method or a callback throws.
    const cellOwned = new OwnedTensors();
    try {
      const operator = cellOwned.keep(createOperator(task.spec, shape));
      const { truth: x, y, xT } = measuredBatch(operator, images, o.seed, c.sigmaY);
      cellOwned.keepAll([x, y, xT]);
      for (const { m } of mine) {
        o.onProgress?.(progress, total, `${c.preset} σ_y=${c.sigmaY} ${m.name}`);
        const peak = { tensors: 0, bytes: 0 };
        const tick = () => {
          const mem = tf.memory();
          peak.tensors = Math.max(peak.tensors, mem.numTensors);
          peak.bytes = Math.max(peak.bytes, mem.numBytes);
        };
        // The first n images (all unless the method is restricted).
        const n = imagesOf(m);
        const first = (t: tf.Tensor, axis = 0) =>
          n === B ? tf.clone(t) : tf.slice(t, axis === 0 ? [0] : [0, 0], axis === 0 ? [n] : [-1, n]);
        const noiseOf = (T: number) => tf.tidy(() => first(noise(T), 1));
        const owned = new OwnedTensors();
        try {
          const xs = owned.keep(first(x) as tf.Tensor4D);
          const ys = owned.keep(first(y));
          const xTs = owned.keep(first(xT) as tf.Tensor4D);
          tick();
          const start = performance.now();
          const r = await m.run({ model: o.model, operator, x: xs, y: ys, sigmaY: c.sigmaY, xT: xTs, noise: noiseOf, tick });
          owned.keep(r.x0);
          const cellWallMs = performance.now() - start;
          tick();
          const clipped = owned.keep(tf.clipByValue(r.x0, -1, 1) as tf.Tensor4D);
          const psnr = psnrPerImage(r.x0, xs);
          const ssims = ssim(r.x0, xs);
          const consistency = tf.tidy(() =>
            Array.from(tf.sqrt(tf.sum(tf.square(tf.reshape(tf.sub(operator.A(r.x0), ys), [n, -1])), 1)).dataSync()),
          );
          await o.onRestored?.({ key: cellKey(c.preset, c.sigmaY, m.name), images: o.images.slice(0, n), y: ys, xT: xTs, x0: r.x0 });
          const correct =
            o.labels ?
              await correctLabels(o.labels.classifier, o.set, o.images.slice(0, n), (await clipped.data()) as Float32Array)
            : undefined;
          owned.dispose();
          const cell: CellResult = {
            key: cellKey(c.preset, c.sigmaY, m.name),
            task: c.preset,
            description: task.description,
            sigmaY: c.sigmaY,
            method: m.name,
            family: m.family,
            T: m.T,
            oracle: m.oracle,
            images: o.images.slice(0, n).map((image, b) => ({
              image,
              psnr: psnr[b],
              ssim: ssims[b],
              consistency: consistency[b],
              correct: correct?.[b],
              ...r.costs[b],
            })),
            cellWallMs,
            peakTensors: peak.tensors,
            peakBytes: peak.bytes,
          };
          out.push(cell);
          await o.onCell?.(cell);
        } finally {
          owned.dispose();
        }
        progress += (m.costEstimate + 1) * n;
      }
    } finally {
      cellOwned.dispose();
    }
  }
  o.onProgress?.(total, total, 'done');
  return out;
}

async function correctLabels(classifier: Classifier, set: LabelledImages, images: number[], restored: Float32Array): Promise<number[]> {
  const { predicted } = await featuresOf(classifier, restored, images.length);
  return images.map((i, b) => (predicted[b] === set.labels[i] ? 1 : 0));
}

const METRICS = ['psnr', 'ssim', 'consistency', 'correct', 'iterations', 'nfe', 'sequentialDepth', 'wallMs'] as const;

/**
 * Mean ± 95 % CI of every per-image metric, one row per cell, in cell order, and, when the cell's
 * (task, sigma_y) has the `reference` method, the paired difference of PSNR and SSIM to it on the
 * images both restored (the serial chain DeqIR solves for: the comparison the benchmark is about).
 */
export function summarizeCells(cells: readonly CellResult[], reference?: string, chains: ReadonlyMap<string, string> = new Map()) {
  const byImage = (c: CellResult, f: (r: ImageResult) => number) => new Map(c.images.map((r) => [r.image, f(r)]));
  const find = (c: CellResult, method: string | undefined) =>
    method === undefined ? undefined : cells.find((r) => r.task === c.task && r.sigmaY === c.sigmaY && r.method === method);
  return [...groupBy(cells, (c) => c.key).values()].map((cs) => {
    const c = cs[0];
    const stat = (f: (r: ImageResult) => number | undefined) => meanCi(c.images.map(f).filter((v): v is number => v !== undefined));
    const paired = (other: CellResult | undefined, f: (r: ImageResult) => number): MeanCi | null =>
      other && other !== c ? pairedDifference(byImage(c, f), byImage(other, f)) : null;
    const ref = find(c, reference);
    const chain = find(c, chains.get(c.method));
    return {
      task: c.task,
      description: c.description,
      sigmaY: c.sigmaY,
      method: c.method,
      family: c.family,
      T: c.T,
      oracle: c.oracle,
      n: c.images.length,
      ...(Object.fromEntries(METRICS.map((k) => [k, stat((r) => r[k])])) as Record<(typeof METRICS)[number], MeanCi>),
      /** PSNR and SSIM minus the reference's on the same images (null for the reference itself or when absent). */
      psnrVsReference: paired(ref, (r) => r.psnr),
      ssimVsReference: paired(ref, (r) => r.ssim),
      reference: ref ? reference! : null,
      /** DeqIR methods: PSNR minus that of the serial chain the method solves (same T, eta and noise), image by image. */
      psnrVsChain: paired(chain, (r) => r.psnr),
      chain: chain ? chain.method : null,
      x0ErrorToSerial: stat((r) => r.x0ErrorToSerial),
      converged:
        c.images.some((r) => r.converged !== undefined) ? `${c.images.filter((r) => r.converged).length}/${c.images.length}` : null,
      cellWallMs: c.cellWallMs,
      peakTensors: c.peakTensors,
      peakBytes: c.peakBytes,
    };
  });
}

/** The summary of a quality results file, recomputed from its cells and settings (so a file written by an older runner reads the same). */
export function summarizeQualityFile(file: {
  cells: readonly CellResult[];
  provenance: { settings: { methods: Pick<MethodSettings, 'deqT' | 'deq'> } };
}) {
  const m = file.provenance.settings.methods;
  return summarizeCells(file.cells, referenceMethodName(m), serialChainOf(m));
}

export type CellSummary = ReturnType<typeof summarizeCells>[number];

/** The summary as CSV: one line per cell, mean and CI half-width per metric. */
export function summaryCsv(rows: readonly CellSummary[]): string {
  const head = [
    'task',
    'sigmaY',
    'method',
    'family',
    'T',
    'oracle',
    'n',
    ...METRICS.flatMap((k) => [`${k}_mean`, `${k}_ci95`]),
    'psnrVsReference_mean',
    'psnrVsReference_ci95',
    'psnrVsReference_n',
    'chain',
    'psnrVsChain_mean',
    'psnrVsChain_ci95',
    'x0ErrorToSerial_mean',
    'converged',
    'cellWallMs',
    'peakTensors',
    'peakBytes',
  ];
  const q = (v: unknown) =>
    typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"`
    : v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? ''
    : String(v);
  const lines = rows.map((r) =>
    [
      r.task,
      r.sigmaY,
      r.method,
      r.family,
      r.T,
      r.oracle,
      r.n,
      ...METRICS.flatMap((k) => [r[k].mean, r[k].ci95]),
      r.psnrVsReference?.mean,
      r.psnrVsReference?.ci95,
      r.psnrVsReference?.n,
      r.chain,
      r.psnrVsChain?.mean,
      r.psnrVsChain?.ci95,
      r.x0ErrorToSerial.mean,
      r.converged,
      r.cellWallMs,
      r.peakTensors,
      r.peakBytes,
    ]
      .map(q)
      .join(','),
  );
  return [head.join(','), ...lines].join('\n') + '\n';
}
