import type * as tf from '@tensorflow/tfjs-core';

/**
 * Solvers find X = F(X) for a map on tensors whose leading axis holds "rows" (for DeqIR: timesteps).
 * They know nothing of diffusion: rows matter only for per-row residuals and per-row Anderson.
 * F must not dispose its argument and must return a fresh tensor of the same shape.
 */
export type FixedPointMap = (x: tf.Tensor, frozenRows?: number) => tf.Tensor | Promise<tf.Tensor>;
// frozenRows (lower-triangular solves): rows 0..frozenRows-1 of x are final and will not change in
// any later call, so F may reuse what it computed from them; the loop keeps those rows of x itself.

export interface IterationRecord {
  /** 1-based; one map evaluation per iteration. */
  iteration: number;
  /** ||F(X) - X|| over the whole state. */
  absResidual: number;
  /** ||F(X) - X|| / ||F(X)||. */
  relResidual: number;
  rowAbsResidual: number[];
  rowRelResidual: number[];
  /** Per row, the largest RMS of F(X) − X over the members of axis 1 (the row rule's measure). */
  rowRmsResidual: number[];
  /** What the row rule compared with tol · rowScales: the caller's rowMeasure, or rowRmsResidual. */
  ruleMeasure: number[];
  /** Leading rows of X that were frozen (final) when F was evaluated: F skipped them. */
  frozenRows: number;
  /** Leading rows of F(X) that are final (lower-triangular solves; 0 otherwise). */
  finishedRows: number;
  /** Milliseconds since the solve started, including this iteration's read-back. */
  wallMs: number;
}

/** Return 'stop' to end the solve early (an outside criterion, e.g. error to a reference). */
export type IterationCallback = (rec: IterationRecord, iterate: { x: tf.Tensor; fx: tf.Tensor }) => void | 'stop' | Promise<void | 'stop'>;

export interface SolveOptions {
  /**
   * Without rowScales: stop when ||F(X) − X|| / ||F(X)|| < tol (the relative rule, 1e-3 by default
   * as the reference). With rowScales: the row rule's tolerance (stoppingRule.ts).
   */
  tol?: number;
  /**
   * Per-row scales of the row rule: row r meets it when its per-member RMS residual is at most
   * tol · rowScales[r]. The solve stops when every row does (on a lower-triangular map, when the
   * rows it has finished reach the last).
   */
  rowScales?: readonly number[];
  /**
   * The row rule's measure, when the caller has a better one than the RMS residual (for DeqIR: how
   * far each row's x0 prediction moved in the last call). Called once per iteration, after F, with
   * the iteration's residuals.
   */
  rowMeasure?: (rec: IterationRecord) => Promise<readonly number[]>;
  maxIter?: number;
  signal?: AbortSignal;
  onIteration?: IterationCallback;
  /** The run fails when the residual grows beyond this factor of the first one (default 1e6). */
  divergenceFactor?: number;
  /**
   * The caller's guarantee that row r of F depends only on rows < r and that the solver may keep
   * finished rows fixed (plain Picard, triangular Anderson). The loop then freezes the leading rows
   * that are final (exact, or past the row rule with every row before them), copies them into every
   * later iterate, tells F (which may skip them) and stops once every row is final: 'exact' when
   * that took `rows` iterations, 'tol' when the rule finished rows sooner.
   */
  lowerTriangular?: boolean;
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

/**
 * Which stopping rule a DeqIR solve uses (solverDefaults.ts): 'x0' is the row rule on how far each
 * timestep's implied x0 moves; 'relative' the relative residual of the whole state (the reference's).
 */
export type StopRule = 'x0' | 'relative';
export const STOP_RULES: readonly StopRule[] = ['x0', 'relative'];

export type SolverSettings = (PicardSettings | AndersonSettings) & SolveOptions & { rule?: StopRule };
export type SolverKind = SolverSettings['kind'];
export const SOLVER_KINDS: readonly SolverKind[] = ['picard', 'anderson', 'anderson-per-row', 'taa'];
