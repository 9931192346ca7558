import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { DEFAULT_INIT } from '../deq/deqDefaults.js';
import { deqRestore } from '../deq/deqRestore.js';
import { defaultTol, solverSettingsFor } from '../deq/solvers/solverDefaults.js';
import type { StopRule } from '../deq/solvers/solverTypes.js';
import { meanCi, median, type MeanCi } from '../metrics/statistics.js';
import { x0DistancePerImage, X0_PSNR_CRITERION_DB } from '../metrics/x0ToSerial.js';
import type { EpsModel } from '../models/epsModel.js';
import type { TaskName } from '../operators/taskRegistry.js';
import { buildRestorationProblem } from '../problem/restorationProblem.js';
import { serialChain } from '../samplers/serialChain.js';

/**
 * What a default run delivers: the kit's default solve (solverSettingsFor(T), DEFAULT_INIT), one
 * image at a time as a user runs it, stopped by its own rule, against the serial chain run on the
 * same image in the same process. A calibration set (images and a seed the benchmarks never use)
 * sweeps the rule's tolerance; the benchmark set runs the default tolerance only.
 */
export interface StoppingSet {
  name: string;
  images: number[];
  seed: number;
  Ts: number[];
  /** Row tolerances to run; 'default' is the rule's own at each T (solverDefaults.ts defaultTol). */
  tols: (number | 'default')[];
}

export interface StoppingSettings {
  rule: StopRule;
  sets: StoppingSet[];
  tasks: TaskName[];
  prior: string;
  /** Interleaved wall-clock repeats, serial chain then default solve, after one warm-up of each. */
  timing: { Ts: number[]; task: TaskName; image: number; seed: number; repeats: number };
}

export interface StoppingRun {
  image: number;
  depth: number;
  nfe: number;
  stoppedBy: string;
  psnr: number;
  maxAbs: number;
  wallMs: number;
  serialWallMs: number;
}

export interface StoppingUnit {
  key: string;
  set: string;
  T: number;
  task: TaskName;
  /** The tolerance the runs used, and whether it was the rule's default at T. */
  tol: number;
  isDefault?: boolean;
  runs: StoppingRun[];
  gitCommit?: string;
}

export interface TimingUnit {
  key: string;
  T: number;
  task: TaskName;
  serialMs: number[];
  deqMs: number[];
  depth: number;
  nfe: number;
  gitCommit?: string;
}

const unitKey = (set: string, T: number, task: string, tol: number | 'default') => `${set}|${T}|${task}|${tol}`;
const timingKey = (T: number) => `timing|${T}`;

export interface StoppingRunOptions {
  model: EpsModel;
  set: LabelledImages;
  settings: StoppingSettings;
  done: ReadonlySet<string>;
  onUnit: (u: StoppingUnit) => Promise<void>;
  onTiming: (u: TimingUnit) => Promise<void>;
  onProgress?: (done: number, total: number, label: string) => void;
}

/** One image solved by the serial chain and by the default solve; the problem is freed after. */
async function runOne(o: StoppingRunOptions, T: number, task: TaskName, image: number, seed: number, tol: number | undefined) {
  const p = buildRestorationProblem(o.model, { task, seed, T }, [{ key: image, pixels: toSignedUnit(o.set, [image]) }]);
  try {
    const serial = await serialChain(p.task);
    const ref = await serial.x0.data();
    serial.x0.dispose();
    const res = await deqRestore(p.task, solverSettingsFor(T, { rule: o.settings.rule, tol }), { init: DEFAULT_INIT });
    const d = x0DistancePerImage(await res.x0.data(), ref, 1);
    res.x0.dispose();
    return {
      image,
      depth: res.sequentialDepth,
      nfe: res.nfe,
      stoppedBy: res.stoppedBy,
      psnr: d.psnr[0],
      maxAbs: d.maxAbs[0],
      wallMs: res.wallMs,
      serialWallMs: serial.wallMs,
    };
  } finally {
    p.dispose();
  }
}

export async function runStoppingBenchmark(o: StoppingRunOptions): Promise<void> {
  const s = o.settings;
  const units = s.sets.flatMap((set) =>
    set.Ts.flatMap((T) => s.tasks.flatMap((task) => set.tols.map((tol) => ({ set, T, task, tol, key: unitKey(set.name, T, task, tol) })))),
  );
  const timings = s.timing.Ts.map((T) => ({ T, key: timingKey(T) }));
  const total = units.length + timings.length;
  let done = 0;
  for (const u of units) {
    if (o.done.has(u.key)) {
      done++;
      continue;
    }
    o.onProgress?.(done++, total, `${u.set.name} T=${u.T} ${u.task} tol ${u.tol}`);
    const runs: StoppingRun[] = [];
    const tol = u.tol === 'default' ? undefined : u.tol;
    for (const image of u.set.images) runs.push(await runOne(o, u.T, u.task, image, u.set.seed, tol));
    const used = tol ?? defaultTol(s.rule, u.T);
    await o.onUnit({
      key: u.key,
      set: u.set.name,
      T: u.T,
      task: u.task,
      tol: used,
      ...(tol === undefined ? { isDefault: true } : {}),
      runs,
    });
  }
  const t = s.timing;
  for (const { T, key } of timings) {
    if (o.done.has(key)) {
      done++;
      continue;
    }
    o.onProgress?.(done++, total, `timing T=${T}`);
    await runOne(o, T, t.task, t.image, t.seed, undefined); // warm-up of both
    const serialMs: number[] = [];
    const deqMs: number[] = [];
    let last: StoppingRun | undefined;
    for (let r = 0; r < t.repeats; r++) {
      last = await runOne(o, T, t.task, t.image, t.seed, undefined);
      serialMs.push(last.serialWallMs);
      deqMs.push(last.wallMs);
    }
    await o.onTiming({ key, T, task: t.task, serialMs, deqMs, depth: last?.depth ?? 0, nfe: last?.nfe ?? 0 });
  }
  o.onProgress?.(total, total, 'done');
}

export interface StoppingSummary {
  set: string;
  T: number;
  tol: number;
  /** Runs: images × tasks. */
  n: number;
  depth: MeanCi & { max: number };
  /** NFE per image over T. */
  nfePerT: MeanCi;
  /** Runs whose x0 is within 40 dB PSNR of the serial x0, and the worst PSNR. */
  atLeast40: number;
  minPsnr: number;
  /** DeqIR wall / serial wall per run (same process, back to back; not the interleaved timing). */
  wallRatio: MeanCi;
}

export function summarizeStopping(units: readonly StoppingUnit[]): StoppingSummary[] {
  const groups = new Map<string, StoppingUnit[]>();
  for (const u of units) {
    const k = `${u.set}|${u.T}|${u.tol}`;
    groups.set(k, [...(groups.get(k) ?? []), u]);
  }
  return [...groups.values()].map((us) => {
    const runs = us.flatMap((u) => u.runs);
    const depths = runs.map((r) => r.depth);
    return {
      set: us[0].set,
      T: us[0].T,
      tol: us[0].tol,
      n: runs.length,
      depth: { ...meanCi(depths), max: Math.max(...depths) },
      nfePerT: meanCi(runs.map((r) => r.nfe / us[0].T)),
      atLeast40: runs.filter((r) => r.psnr >= X0_PSNR_CRITERION_DB).length,
      minPsnr: Math.min(...runs.map((r) => r.psnr)),
      wallRatio: meanCi(runs.map((r) => r.wallMs / r.serialWallMs)),
    };
  });
}

export interface TimingSummary {
  T: number;
  serialMs: number;
  deqMs: number;
  /** Median of the per-repeat ratios, and their range. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  repeats: number;
  depth: number;
  nfe: number;
}

export function summarizeTiming(units: readonly TimingUnit[]): TimingSummary[] {
  return units.map((u) => {
    const ratios = u.deqMs.map((d, i) => d / u.serialMs[i]);
    return {
      T: u.T,
      serialMs: median(u.serialMs),
      deqMs: median(u.deqMs),
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      repeats: ratios.length,
      depth: u.depth,
      nfe: u.nfe,
    };
  });
}
