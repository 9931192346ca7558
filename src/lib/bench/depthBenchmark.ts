import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { coarseStart } from '../deq/coarseStart.js';
import { deqRestore } from '../deq/deqRestore.js';
import type { InitKind } from '../deq/deqDefaults.js';
import type { SolverSettings } from '../deq/solvers/solverTypes.js';
import { iterateX0ToSerial, X0_PSNR_CRITERION_DB } from '../metrics/x0ToSerial.js';
import type { EpsModel } from '../models/epsModel.js';
import type { TaskName } from '../operators/taskRegistry.js';
import { buildRestorationProblem } from '../problem/restorationProblem.js';
import { serialChain } from '../samplers/serialChain.js';

/**
 * Sequential depth: how many batched network calls in a row a solver needs before its x0 reaches
 * the serial chain's x0 (the question parallel hardware asks). Each (T, task, solver) is one unit
 * of a resumable run; the images of a unit are solved as one batch (Picard and ParaTAA treat every
 * image as if alone; the reference's per-row Anderson shares its weights across the batch, as the
 * reference code does).
 */

/** The criteria a run's x0 is checked against after every iteration, in order of strictness. */
export const DEPTH_CRITERIA = [
  { key: 'psnr40', label: 'PSNR(x0, serial x0) ≥ 40 dB' },
  { key: 'bit8', label: 'max |x0 − serial x0| ≤ 2/255 (8-bit identical)' },
  { key: 'abs1e3', label: 'max |x0 − serial x0| ≤ 1e-3' },
] as const;
export type DepthCriterion = (typeof DEPTH_CRITERIA)[number]['key'];

/** Position in DEPTH_CRITERIA: a larger rank is stricter. */
export const criterionRank = (c: DepthCriterion) => DEPTH_CRITERIA.findIndex((x) => x.key === c);

const meets = (c: DepthCriterion, psnr: number, maxAbs: number) =>
  c === 'psnr40' ? psnr >= X0_PSNR_CRITERION_DB
  : c === 'bit8' ? maxAbs <= 2 / 255
  : maxAbs <= 1e-3;

export interface DepthVariant {
  name: string;
  solver: SolverSettings;
  init: InitKind;
  /** Only these T (default: every T of the run). */
  onlyT?: number[];
  /** The map's form (deq/deqSystem.ts; default cumsum). */
  form?: 'cumsum' | 'chain';
  /** Start from a K-step serial chain (deq/coarseStart.ts) instead of `init`; its K calls count in the depth. */
  coarseSteps?: number;
}

export interface DepthSettings {
  Ts: number[];
  tasks: TaskName[];
  images: number[];
  seed: number;
  variants: DepthVariant[];
  /** Images per batched network call (memory bound; results are identical). */
  chunkSize: number;
  prior: string;
}

export interface DepthImageRun {
  image: number;
  /** After each iteration (= sequential depth): PSNR and max abs difference to the serial x0. */
  psnr: number[];
  maxAbs: number[];
  /** First depth meeting each criterion, or null if not within T. */
  depth: Record<DepthCriterion, number | null>;
}

export interface DepthUnit {
  key: string;
  T: number;
  task: TaskName;
  solver: string;
  images: DepthImageRun[];
  /** Iterations run (the run stops once every image meets the strictest criterion, or at T). */
  iterations: number;
  /**
   * Set when the run was cut to fit (bench --stop-at): it stopped once every image met this
   * criterion, so the stricter ones were not measured. Absent: run to the strictest.
   */
  stoppedAt?: DepthCriterion;
  wallMs: number;
  serialWallMs: number;
  gitCommit?: string;
}

const depthUnitKey = (T: number, task: string, solver: string) => `${T}|${task}|${solver}`;

/** Depth to each criterion per image from the per-iteration curves (pure: the tests check it directly). */
export function depthsOf(psnr: readonly number[], maxAbs: readonly number[], warmUp = 0): Record<DepthCriterion, number | null> {
  const first = (c: DepthCriterion) => {
    const i = psnr.findIndex((p, k) => meets(c, p, maxAbs[k]));
    return i < 0 ? null : warmUp + i + 1;
  };
  return { psnr40: first('psnr40'), bit8: first('bit8'), abs1e3: first('abs1e3') };
}

export interface DepthRunOptions {
  model: EpsModel;
  set: LabelledImages;
  settings: DepthSettings;
  done: ReadonlySet<string>;
  onUnit: (u: DepthUnit) => Promise<void>;
  onProgress?: (done: number, total: number, label: string) => void;
  /** Stop a unit once every image meets this criterion (default the strictest); recorded in the unit. */
  stopAt?: DepthCriterion;
}

export async function runDepthBenchmark(o: DepthRunOptions): Promise<void> {
  const { settings: s } = o;
  const stopAt = o.stopAt ?? 'abs1e3';
  const cut = criterionRank(stopAt) < criterionRank('abs1e3');
  const at = (T: number) => s.variants.filter((v) => !v.onlyT || v.onlyT.includes(T));
  const total = s.Ts.reduce((a, T) => a + at(T).length, 0) * s.tasks.length;
  let done = 0;
  for (const T of s.Ts) {
    for (const task of s.tasks) {
      const todo = at(T).filter((v) => !o.done.has(depthUnitKey(T, task, v.name)));
      done += at(T).length - todo.length;
      if (!todo.length) continue;
      const images = s.images.map((i) => ({ key: i, pixels: toSignedUnit(o.set, [i]) }));
      const p = buildRestorationProblem(o.model, { task, seed: s.seed, T }, images);
      try {
        const serial = await serialChain(p.task);
        const ref = (await serial.x0.data()) as Float32Array;
        serial.x0.dispose();
        for (const v of todo) {
          o.onProgress?.(done++, total, `T=${T} ${task} ${v.name}`);
          const B = images.length;
          const curves = images.map(() => ({ psnr: [] as number[], maxAbs: [] as number[] }));
          const warmUp = v.coarseSteps ?? 0;
          const start = warmUp ? await coarseStart(p.task, warmUp) : v.init;
          const res = await deqRestore(
            p.task,
            {
              ...v.solver,
              tol: 0,
              maxIter: T,
              onIteration: async (_rec, { fx }): Promise<'stop' | void> => {
                const d = await iterateX0ToSerial(fx, T, ref, B);
                let all = true;
                for (let b = 0; b < B; b++) {
                  curves[b].psnr.push(d.psnr[b]);
                  curves[b].maxAbs.push(d.maxAbs[b]);
                  all &&= meets(stopAt, d.psnr[b], d.maxAbs[b]);
                }
                return all ? 'stop' : undefined;
              },
            },
            { init: start, chunkSize: s.chunkSize, form: v.form },
          ).finally(() => typeof start === 'object' && start.dispose());
          res.x0.dispose();
          await o.onUnit({
            key: depthUnitKey(T, task, v.name),
            T,
            task,
            solver: v.name,
            images: images.map((im, b) => ({ image: im.key, ...curves[b], depth: depthsOf(curves[b].psnr, curves[b].maxAbs, warmUp) })),
            iterations: res.iterations,
            wallMs: res.wallMs,
            serialWallMs: serial.wallMs,
            ...(cut ? { stoppedAt: stopAt } : {}),
          });
        }
      } finally {
        p.dispose();
      }
    }
  }
  o.onProgress?.(total, total, 'done');
}

export interface DepthSummary {
  T: number;
  task: TaskName;
  solver: string;
  n: number;
  /**
   * Per criterion: mean depth over images that reached it, how many did, and the worst image (null:
   * some never did); `run` false when the unit was stopped before this criterion (cut to fit).
   */
  criteria: Record<DepthCriterion, { mean: number | null; reached: number; max: number | null; run: boolean }>;
  wallMsPerIteration: number;
  /** Images whose x0 moved away from the serial x0 at the second iteration (the early-row amplification). */
  dipAfterFirst: number;
}

export function summarizeDepth(units: readonly DepthUnit[]): DepthSummary[] {
  return units.map((u) => {
    const crit = (c: DepthCriterion) => {
      const d = u.images.map((r) => r.depth[c]);
      const hit = d.filter((x): x is number => x !== null);
      return {
        mean: hit.length ? hit.reduce((a, b) => a + b, 0) / hit.length : null,
        reached: hit.length,
        max: hit.length === d.length && hit.length ? Math.max(...hit) : null,
        // A stricter criterion than the one the unit stopped at was not measured (unless met on the way).
        run: criterionRank(c) <= criterionRank(u.stoppedAt ?? 'abs1e3') || hit.length === d.length,
      };
    };
    return {
      T: u.T,
      task: u.task,
      solver: u.solver,
      n: u.images.length,
      criteria: { psnr40: crit('psnr40'), bit8: crit('bit8'), abs1e3: crit('abs1e3') },
      wallMsPerIteration: u.wallMs / Math.max(1, u.iterations),
      dipAfterFirst: u.images.filter((r) => r.psnr.length > 1 && r.psnr[1] < r.psnr[0]).length,
    };
  });
}
