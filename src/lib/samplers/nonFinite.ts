import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, SolverDivergedError } from '../errors.js';
import { serialStep } from './serialStep.js';
import type { PreparedRestoration } from './preparedRestoration.js';

/**
 * Finiteness of results, and the first non-finite quantity when a run produced NaN or Inf. A
 * sampler or solver never returns a non-finite image: the serial chain and deqRestore check x0
 * (one read-back, which they make anyway) and, only on failure, the serial chain is replayed step
 * by step to name what went wrong first — y, x_T, the step noise, A+y, the prior's eps, or a
 * step's projection — instead of blaming the solver for a bad input. DDRM names its inputs.
 */

/** True when every value of `t` is finite (one read-back). */
export async function allFinite(t: tf.Tensor): Promise<boolean> {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)));
  const v = (await ok.data())[0];
  ok.dispose();
  return v === 1;
}

/** The name of the first tensor that holds NaN or Inf, or null. */
export async function firstNonFinite(named: [string, tf.Tensor | undefined][]): Promise<string | null> {
  for (const [what, t] of named) if (t && !(await allFinite(t))) return what;
  return null;
}

/**
 * The first non-finite quantity of the task's serial chain, in words, or null when the chain is
 * finite throughout (then a non-finite result is the solver's own doing).
 */
async function locateNonFinite(task: PreparedRestoration): Promise<string | null> {
  return (await inspectChain(task)).cause;
}

/** The first non-finite quantity (or null) and the largest magnitude the serial chain's states reach. */
async function inspectChain(task: PreparedRestoration): Promise<{ cause: string | null; maxAbs: number }> {
  const { y, xT, z } = task.inputs;
  const inputs: [string, tf.Tensor | undefined][] = [
    ['y (the measurement)', y],
    ['x_T (the initial noise)', xT],
    ['z (the step noise)', z],
    ["A+y (the operator's pseudo-inverse applied to y)", task.Apy],
  ];
  const input = await firstNonFinite(inputs);
  if (input) return { cause: input, maxAbs: NaN };
  let maxAbs = 0;
  let found: string | null = null;
  // Replay the chain step by step and stop at the first non-finite quantity.
  let x = tf.clone(xT);
  try {
    for (let k = 0; k < task.coeffs.T && !found; k++) {
      const step = serialStep(task, k, x, task.yTerm);
      try {
        const at = `at step ${k + 1} of ${task.coeffs.T} (t = ${task.coeffs.t[k]})`;
        found =
          !(await allFinite(step.eps)) ? `the prior's eps ${at} (the prior ${task.inputs.model.name} returned NaN or Inf)`
          : !(await allFinite(step.x0Pred)) ? `the prior's x0 prediction ${at} (x_t / sqrt(abar_t) overflowed)`
          : !(await allFinite(step.next)) ?
            `the next state ${at} (the operator's projection of the prediction, or the step noise, overflowed)`
          : null;
        if (!found) maxAbs = Math.max(maxAbs, await largest(step.next));
      } finally {
        step.eps.dispose();
        step.x0Pred.dispose();
        x.dispose();
        x = step.next;
      }
    }
  } finally {
    x.dispose();
  }
  return { cause: found, maxAbs };
}

async function largest(t: tf.Tensor): Promise<number> {
  const m = tf.tidy(() => tf.max(tf.abs(t)));
  const v = (await m.data())[0];
  m.dispose();
  return v;
}

/** Throws NonFiniteError naming the first non-finite quantity when x0 (the result of `who`) is not finite. */
export async function checkFiniteX0(task: PreparedRestoration, x0: tf.Tensor, who: string): Promise<void> {
  if (await allFinite(x0)) return;
  const cause = await locateNonFinite(task);
  throw new NonFiniteError(
    `${who} produced NaN or Inf in x0; first non-finite quantity: ${cause ?? `none in the serial chain, so ${who} itself diverged`}`,
  );
}

/**
 * Re-throws a solver's divergence as a NonFiniteError naming the input that caused it, when the
 * serial chain shows one (a bad prior, operator or y); a genuine divergence stays as it was.
 */
export async function explainDivergence(task: PreparedRestoration, e: unknown): Promise<never> {
  if (e instanceof SolverDivergedError) {
    const { cause, maxAbs } = await inspectChain(task);
    if (cause)
      throw new NonFiniteError(`the solve stopped at iteration ${e.iteration} with NaN or Inf; first non-finite quantity: ${cause}`);
    if (maxAbs > 1e18)
      throw new NonFiniteError(
        `the solve stopped at iteration ${e.iteration}: ${e.message}. The serial chain stays finite but its states reach |x| = ${maxAbs.toExponential(1)}, ` +
          'beyond what the joint map can combine in float32: the prior or the inputs are far out of the [-1, 1] image scale',
      );
  }
  throw e;
}
