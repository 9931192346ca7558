import { PICKER_IMAGES } from '../data/shippedSubset.js';
import { STOP_RULES, type SolverKind, type StopRule } from '../deq/solvers/solverTypes.js';
import { TASKS, TASK_NAMES, tasksForChannels, type TaskName } from '../operators/taskRegistry.js';
import { mixingDefaults, DEFAULT_RULE, DEFAULT_SOLVER, defaultMaxIter, defaultTol } from '../deq/solvers/solverDefaults.js';
import { DEFAULT_INIT } from '../deq/deqDefaults.js';
import { DEFAULT_T, MAX_ITER_RANGE, T_RANGE, TOL_RANGE } from '../bounds.js';
import { DEFAULT_DATASET, SITE_DATASETS, SITE_PRIORS, planeSize, type SiteDataset } from './sitePriors.js';

/**
 * The settings of one restoration job, shared by every page and every worker job, and their URL
 * form so that a view can be shared. Tasks come from the one registry (operators/taskRegistry.ts),
 * defaults and bounds from deq/solvers/solverDefaults.ts. Parsing clamps every value to those bounds;
 * unknown keys are ignored. Browser-safe (no TF.js).
 */

/** The tasks the menus offer with the grey 28x28 prior (the default); sitePriors.ts has each prior's list. */
/**
 * Largest T each live page offers: these jobs cost more than T batched maps (the trajectory grid
 * draws every state of every iteration; gradients and steering solve an adjoint system too).
 */
export const PAGE_T_MAX = { overview: 50, solving: 30, trajectory: 16, gradients: 20, steering: 20 } as const;

export const SITE_TASKS = SITE_PRIORS.fashion.tasks;
/** The tasks the menus offer with prior `d`, in menu order. */
export const siteTasks = (d: SiteDataset): readonly TaskName[] => SITE_PRIORS[d].tasks;
/** Menu labels, read from the registry. */
export const TASK_LABELS = Object.fromEntries(TASK_NAMES.map((t) => [t, TASKS[t].label])) as Record<TaskName, string>;
/** Tasks whose operator leaves a null space (the gradient and steering pages explain that part). */
export const nullSpaceTasks = (d: SiteDataset): TaskName[] => siteTasks(d).filter((t) => TASKS[t].hasNullSpace);
export const NULL_SPACE_TASKS = nullSpaceTasks(DEFAULT_DATASET);
export const isInpainting = (t: TaskName) => TASKS[t].spec.kind === 'inpainting';
/** Every task the site's grey 28x28 prior can run: what a shared link may name (colorize needs colour). */
export const GREY_TASKS: readonly TaskName[] = tasksForChannels(1);
/** Every task prior `d` can run: what a shared link with that prior may name. */
export const runnableTasks = (d: SiteDataset): readonly TaskName[] => tasksForChannels(SITE_PRIORS[d].shape[2]);

export const SOLVERS = ['picard', 'taa', 'anderson', 'anderson-per-row'] as const satisfies readonly SolverKind[];
export type Solver = (typeof SOLVERS)[number];
export const PRIORS = ['auto', 'unet', 'gaussian'] as const;
export type PriorChoice = (typeof PRIORS)[number];
export const INITS = ['ddim-pinv', 'xT'] as const;
export type Init = (typeof INITS)[number];

export interface JobSettings {
  /**
   * Which trained prior (and shipped image subset) restores: grey Fashion-MNIST or colour emoji
   * (sitePriors.ts). Not "prior", which picks the kind of eps-model (UNet or Gaussian) of that data.
   */
  dataset: SiteDataset;
  /** Any task of the registry the dataset's prior can run (a shared link may name one); the menus offer siteTasks(dataset). */
  task: TaskName;
  T: number;
  /** Index into the shipped picker images; -1 means the reader's upload. */
  image: number;
  solver: Solver;
  init: Init;
  /** Iteration cap; null follows T (deq/solvers/solverDefaults.ts: defaultMaxIter). */
  maxIter: number | null;
  /** How the solve stops, and its tolerance; null: the rule's default at T (deq/solvers/solverDefaults.ts). */
  rule: StopRule;
  tol: number | null;
  m: number;
  lambda: number;
  beta: number;
  seed: number;
  prior: PriorChoice;
  /** Inpainting mask, H*W of the dataset's images, 1 = observed; null = the task's centred box. */
  mask: Uint8Array | null;
}

export const DEFAULT_SETTINGS: JobSettings = {
  dataset: DEFAULT_DATASET,
  task: 'sr4',
  T: DEFAULT_T,
  image: 0,
  solver: DEFAULT_SOLVER,
  init: DEFAULT_INIT,
  maxIter: null,
  rule: DEFAULT_RULE,
  tol: null,
  ...mixingDefaults(DEFAULT_SOLVER),
  seed: 0,
  prior: 'auto',
  mask: null,
};

/** The tolerance a job runs with. */
export const tolOf = (s: Pick<JobSettings, 'tol' | 'rule' | 'T'>) => s.tol ?? defaultTol(s.rule, s.T);

/** The iteration cap a job runs with. */
export const maxIterOf = (s: Pick<JobSettings, 'maxIter' | 'T'>) => s.maxIter ?? defaultMaxIter(s.T);

const clampInt = (v: string | null, lo: number, hi: number, d: number) => {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : d;
};
const clampNum = (v: string | null, lo: number, hi: number, d: number) => {
  const n = Number.parseFloat(v ?? '');
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : d;
};
const oneOf = <T extends string>(v: string | null, all: readonly T[], d: T): T => (all.includes(v as T) ? (v as T) : d);

export function settingsFromParams(p: URLSearchParams, base: JobSettings = DEFAULT_SETTINGS): JobSettings {
  const dataset = oneOf(p.get('dataset'), SITE_DATASETS, base.dataset);
  const tasks = runnableTasks(dataset);
  const size = planeSize(dataset);
  const baseMask = base.mask?.length === size ? base.mask : null;
  return {
    dataset,
    task: oneOf(p.get('task'), tasks, tasks.includes(base.task) ? base.task : siteTasks(dataset)[0]),
    T: clampInt(p.get('T'), T_RANGE.min, T_RANGE.max, base.T),
    image: clampInt(p.get('image'), -1, PICKER_IMAGES - 1, base.image),
    solver: oneOf(p.get('solver'), SOLVERS, base.solver),
    init: oneOf(p.get('init'), INITS, base.init),
    maxIter:
      p.get('maxIter') === null ?
        base.maxIter
      : clampInt(p.get('maxIter'), MAX_ITER_RANGE.min, MAX_ITER_RANGE.max, base.maxIter ?? 0) || null,
    rule: oneOf(p.get('rule'), STOP_RULES, base.rule),
    // Absent (or a link that names another rule but no tolerance): the rule's own default at T.
    tol:
      p.get('tol') === null ?
        p.get('rule') !== null && oneOf(p.get('rule'), STOP_RULES, base.rule) !== base.rule ?
          null
        : base.tol
      : clampNum(p.get('tol'), TOL_RANGE.min, TOL_RANGE.max, base.tol ?? TOL_RANGE.min),
    m: clampInt(p.get('m'), 1, 20, base.m),
    lambda: clampNum(p.get('lambda'), 0, 1, base.lambda),
    beta: clampNum(p.get('beta'), 0.05, 1, base.beta),
    seed: clampInt(p.get('seed'), 0, 2 ** 32 - 1, base.seed),
    prior: oneOf(p.get('prior'), PRIORS, base.prior),
    mask: p.get('mask') ? maskFromHex(p.get('mask')!, size) : baseMask,
  };
}

/**
 * The settings with another prior. A task the reader chose stays if the new prior offers it; the
 * old prior's first menu task (its default: sr4, colorize) or one the new prior cannot run becomes
 * the new prior's first, so picking colour shows colorization. A drawn mask goes (the size differs).
 */
export function withDataset(s: JobSettings, dataset: SiteDataset): JobSettings {
  if (dataset === s.dataset) return s;
  const keep = siteTasks(dataset).includes(s.task) && s.task !== siteTasks(s.dataset)[0];
  const task = keep ? s.task : siteTasks(dataset)[0];
  return { ...s, dataset, task, mask: null };
}

/** Writes only the values that differ from the defaults, so shared links stay short. */
export function settingsToParams(s: JobSettings, into = new URLSearchParams()): URLSearchParams {
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof JobSettings)[]) {
    if (k === 'mask') continue;
    if (s[k] !== DEFAULT_SETTINGS[k]) into.set(k, String(s[k]));
    else into.delete(k);
  }
  if (s.mask) into.set('mask', maskToHex(s.mask));
  else into.delete('mask');
  return into;
}

/** Mask bits as hex, 4 pixels a digit (784 pixels of 28x28 -> 196 characters; 32x32 -> 256). */
export function maskToHex(mask: Uint8Array): string {
  let out = '';
  for (let i = 0; i < mask.length; i += 4) {
    let v = 0;
    for (let b = 0; b < 4; b++) v |= (mask[i + b] ? 1 : 0) << b;
    out += v.toString(16);
  }
  return out;
}

export function maskFromHex(hex: string, size: number): Uint8Array | null {
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length !== Math.ceil(size / 4)) return null;
  const m = new Uint8Array(size);
  for (let i = 0; i < size; i++) m[i] = (Number.parseInt(hex[i >> 2], 16) >> (i & 3)) & 1;
  return m;
}
