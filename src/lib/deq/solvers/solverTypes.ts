import type * as tf from '@tensorflow/tfjs-core';

/**
 * Solvers find X = F(X) for a map on tensors whose leading axis holds "rows" (for DeqIR: timesteps).
 * They know nothing of diffusion: rows matter only for per-row residuals and per-row Anderson.
 * F must not dispose its argument and must return a fresh tensor of the same shape.
 */
export type FixedPointMap = (x: tf.Tensor) => tf.Tensor | Promise<tf.Tensor>;

export interface IterationRecord {
  /** 1-based; one map evaluation per iteration. */
  iteration: number;
  /** ||F(X) - X|| over the whole state. */
  absResidual: number;
  /** ||F(X) - X|| / ||F(X)||. */
  relResidual: number;
  rowAbsResidual: number[];
  rowRelResidual: number[];
  /** Milliseconds since the solve started, including this iteration's read-back. */
  wallMs: number;
}

/** Return 'stop' to end the solve early (an outside criterion, e.g. error to a reference). */
export type IterationCallback = (rec: IterationRecord, iterate: { x: tf.Tensor; fx: tf.Tensor }) => void | 'stop' | Promise<void | 'stop'>;

export interface SolveOptions {
  /** Stop when the relative residual is below tol (default 1e-3, as the reference). */
  tol?: number;
  maxIter?: number;
  signal?: AbortSignal;
  onIteration?: IterationCallback;
  /** The run fails when the residual grows beyond this factor of the first one (default 1e6). */
  divergenceFactor?: number;
  /**
   * The caller's guarantee that the solver's estimate is exact after this many iterations (plain
   * Picard or triangular Anderson on a lower-triangular map with that many rows). The run then
   * stops there as converged ('exact'), whatever the residual of the last iterate says.
   */
  exactAfter?: number;
}

export interface SolveResult {
  /** F(X) at the last iterate: the best estimate (for a triangular system, one step further). */
  solution: tf.Tensor;
  iterations: number;
  converged: boolean;
  stoppedBy: 'tol' | 'exact' | 'maxIter' | 'callback';
  history: IterationRecord[];
}

export interface PicardSettings {
  kind: 'picard';
  /** Damping: X <- (1 - beta) X + beta F(X); 1 is plain Picard (Jacobi). */
  beta?: number;
  /** Declare the map lower-triangular: rows already exact are not damped (exact after `rows` iterations). */
  triangular?: boolean;
}

export interface AndersonSettings {
  /**
   * 'anderson': one mixing problem for the whole state; 'anderson-per-row': one per row (the DeqIR
   * reference); 'taa': ParaTAA's triangular Anderson, one per row and member (axis 1) fitted to the
   * residuals of that row and every row before it, with the rows already exact copied (always triangular).
   */
  kind: 'anderson' | 'anderson-per-row' | 'taa';
  /** History size. */
  m?: number;
  /** Tikhonov regularisation of the least-squares mixing problem. */
  lambda?: number;
  /** Mixing: beta * (alpha · F) + (1 - beta) * (alpha · X). */
  beta?: number;
  /**
   * Declare the map lower-triangular over rows (row k of F depends only on rows < k, as the DeqIR
   * system). Then the rows Picard has already made exact are copied from F(X) into every new
   * iterate, so Anderson keeps Picard's guarantee (exact after `rows` iterations) and accelerates
   * only the rows that are still moving.
   */
  triangular?: boolean;
}

export type SolverSettings = (PicardSettings | AndersonSettings) & SolveOptions;
export type SolverKind = SolverSettings['kind'];
export const SOLVER_KINDS: readonly SolverKind[] = ['picard', 'anderson', 'anderson-per-row', 'taa'];
