import type { SolverKind, SolverSettings } from '../deq/solvers/solverTypes.js';
import { ParameterError } from '../errors.js';

/**
 * The kit's one module of sampling and solver defaults and bounds. The CLI, the problem files, the
 * worker jobs, the page controls, the loaders and the benchmarks all read these, so a default run
 * is the same run everywhere. Browser-safe (no TF.js).
 */

/** Sampling steps T anyone may ask for (the CLI, problem files and every page). */
export const T_RANGE = { min: 2, max: 100 } as const;
export const DEFAULT_T = 20;

/**
 * Largest T each live page offers: these jobs cost more than T batched maps (the trajectory grid
 * draws every state of every iteration; gradients and steering solve an adjoint system too).
 */
export const PAGE_T_MAX = { overview: 50, solving: 30, trajectory: 16, gradients: 20, steering: 20 } as const;

/** Forward solves stop when ||F(X) - X|| / ||F(X)|| falls below this (the reference's value). */
export const DEFAULT_TOL = 1e-3;
/** Solves inside gradient computations, where the result must match back-propagation: near-exact. */
export const GRADIENT_TOL = 1e-6;
/** Forward solves of loops that warm-start from the previous solution (initialization optimization, the toy). */
export const WARM_START_TOL = 1e-5;
export const TOL_RANGE = { min: 1e-7, max: 0.5 } as const;

/**
 * ParaTAA's triangular Anderson: in the depth benchmark (data/benchmarks/depth.json, README "Which
 * solver?") it reaches PSNR 40 dB to the serial x0 in fewer batched calls than Picard and is exact
 * after T iterations like it.
 */
export const DEFAULT_SOLVER = 'taa' as const;
/** Start every state on the DDIM path from x_T towards A+y (free to compute; fewer iterations than x_T everywhere). */
export const DEFAULT_INIT = 'ddim-pinv' as const;
/** Anderson's history m, Tikhonov regularisation lambda and mixing beta (the reference's values). */
export const ANDERSON_DEFAULTS = { m: 5, lambda: 1e-3, beta: 1 } as const;
/** Triangular Anderson (ParaTAA): history 3 (2 to 5 measured alike in the depth benchmark), same regularisation. */
export const TAA_DEFAULTS = { m: 3, lambda: 1e-3, beta: 1 } as const;

/** The mixing settings a solver kind runs with when the caller sets none. */
export const mixingDefaults = (kind: SolverKind): { m: number; lambda: number; beta: number } =>
  kind === 'taa' ? TAA_DEFAULTS : kind === 'picard' ? { ...ANDERSON_DEFAULTS, beta: 1 } : ANDERSON_DEFAULTS;

/**
 * Iteration cap for T steps. The joint map is lower-triangular over timesteps, so Picard and the
 * triangular Andersons (ParaTAA, or 'anderson' with triangular) are exact after T iterations: a default run always converges, and no
 * default run waits for more sequential calls than the serial chain makes.
 */
export const defaultMaxIter = (T: number): number => T;
export const MAX_ITER_RANGE = { min: 1, max: 4 * T_RANGE.max } as const;

/** T as an integer in T_RANGE, or a ParameterError naming `field`. */
export function checkT(T: number, field = 'T'): number {
  if (!Number.isInteger(T) || T < T_RANGE.min || T > T_RANGE.max)
    throw new ParameterError(`${field} must be an integer from ${T_RANGE.min} to ${T_RANGE.max}, got ${T}`);
  return T;
}

/** What a caller may set of a DeqIR solve; everything left out takes the defaults above. */
export interface SolverChoice {
  kind?: SolverKind;
  tol?: number;
  maxIter?: number | null;
  m?: number;
  lambda?: number;
  beta?: number;
  triangular?: boolean;
}

/** Complete solver settings for T steps: the one place a default solve is spelled out. */
export function solverSettingsFor(T: number, c: SolverChoice = {}): SolverSettings {
  const common = { tol: c.tol ?? DEFAULT_TOL, maxIter: c.maxIter ?? defaultMaxIter(T) };
  const kind = c.kind ?? DEFAULT_SOLVER;
  if (kind === 'picard') return { kind, ...common, beta: c.beta ?? 1 };
  const d = mixingDefaults(kind);
  return {
    kind,
    ...common,
    m: c.m ?? d.m,
    lambda: c.lambda ?? d.lambda,
    beta: c.beta ?? d.beta,
    triangular: kind === 'taa' || (c.triangular ?? false),
  };
}
