/**
 * The overview demo's settings and their URL form, so that a view can be shared. Parsing clamps
 * every value to what the page offers; unknown keys are ignored.
 */
export const TASKS = ['sr', 'deblur', 'inpainting', 'cs', 'denoising'] as const;
export type Task = (typeof TASKS)[number];
export const TASK_LABELS: Record<Task, string> = {
  sr: 'super-resolution ×4 (average pooling)',
  deblur: 'deblurring (Gaussian, σ = 1.5)',
  inpainting: 'inpainting (mask)',
  cs: 'compressed sensing (Walsh–Hadamard, 25%)',
  denoising: 'denoising (σ_y = 0.2)',
};
export const SOLVERS = ['picard', 'anderson', 'anderson-per-row'] as const;
export type Solver = (typeof SOLVERS)[number];
export const PRIORS = ['auto', 'unet', 'gaussian'] as const;
export type PriorChoice = (typeof PRIORS)[number];
export const INITS = ['ddim-pinv', 'xT'] as const;
export type Init = (typeof INITS)[number];

export interface DemoSettings {
  task: Task;
  T: number;
  /** Index into the shipped picker images; -1 means the reader's upload. */
  image: number;
  solver: Solver;
  init: Init;
  maxIter: number;
  tol: number;
  m: number;
  lambda: number;
  beta: number;
  seed: number;
  prior: PriorChoice;
  /** Inpainting mask, H*W, 1 = observed; null = the default centred box. */
  mask: Uint8Array | null;
}

export const DEFAULT_SETTINGS: DemoSettings = {
  task: 'sr',
  T: 20,
  image: 0,
  solver: 'picard',
  init: 'ddim-pinv',
  maxIter: 20,
  tol: 1e-3,
  m: 5,
  lambda: 1e-3,
  beta: 1,
  seed: 0,
  prior: 'auto',
  mask: null,
};

const clampInt = (v: string | null, lo: number, hi: number, d: number) => {
  const n = Number.parseInt(v ?? '', 10);
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : d;
};
const clampNum = (v: string | null, lo: number, hi: number, d: number) => {
  const n = Number.parseFloat(v ?? '');
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : d;
};
const oneOf = <T extends string>(v: string | null, all: readonly T[], d: T): T => (all.includes(v as T) ? (v as T) : d);

export function settingsFromParams(p: URLSearchParams, base: DemoSettings = DEFAULT_SETTINGS): DemoSettings {
  return {
    task: oneOf(p.get('task'), TASKS, base.task),
    T: clampInt(p.get('T'), 2, 100, base.T),
    image: clampInt(p.get('image'), -1, 255, base.image),
    solver: oneOf(p.get('solver'), SOLVERS, base.solver),
    init: oneOf(p.get('init'), INITS, base.init),
    maxIter: clampInt(p.get('maxIter'), 1, 100, base.maxIter),
    tol: clampNum(p.get('tol'), 1e-6, 0.5, base.tol),
    m: clampInt(p.get('m'), 1, 20, base.m),
    lambda: clampNum(p.get('lambda'), 0, 1, base.lambda),
    beta: clampNum(p.get('beta'), 0.05, 1, base.beta),
    seed: clampInt(p.get('seed'), 0, 2 ** 31 - 1, base.seed),
    prior: oneOf(p.get('prior'), PRIORS, base.prior),
    mask: p.get('mask') ? maskFromHex(p.get('mask')!, 28 * 28) : base.mask,
  };
}

/** Writes only the values that differ from the defaults, so shared links stay short. */
export function settingsToParams(s: DemoSettings, into = new URLSearchParams()): URLSearchParams {
  for (const k of Object.keys(DEFAULT_SETTINGS) as (keyof DemoSettings)[]) {
    if (k === 'mask') continue;
    if (s[k] !== DEFAULT_SETTINGS[k]) into.set(k, String(s[k]));
    else into.delete(k);
  }
  if (s.mask) into.set('mask', maskToHex(s.mask));
  else into.delete('mask');
  return into;
}

/** Mask bits as hex, 4 pixels a digit (784 pixels -> 196 characters). */
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
