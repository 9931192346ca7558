import * as tf from '@tensorflow/tfjs-core';
import { NonFiniteError, SolverDivergedError } from '../errors.js';
import { serialChain } from '../samplers/serialChain.js';
import type { RestorationTask } from './restorationTask.js';

/**
 * Finiteness of results, and the first non-finite quantity when a run produced NaN or Inf. A
 * sampler or solver never returns a non-finite image as a result: its caller checks x0 (one
 * read-back) and, only on failure, replays the serial chain step by step to name what went
 * wrong first — the prior, the operator, y, x_T, the step noise, or a step — instead of blaming
 * the solver for a bad input.
 */

/** True when every value of `t` is finite (one read-back). */
export async function allFinite(t: tf.Tensor): Promise<boolean> {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)));
  const v = (await ok.data())[0];
  ok.dispose();
  return v === 1;
}

class Found extends Error {}

/**
 * The first non-finite quantity of the task's serial chain, in words, or null when the chain is
 * finite throughout (then a non-finite result is the solver's own doing).
 */
export async function locateNonFinite(task: RestorationTask): Promise<string | null> {
  const { y, xT, z } = task.inputs;
  const inputs: [string, tf.Tensor | undefined][] = [
    ['y (the measurement)', y],
    ['x_T (the initial noise)', xT],
    ['z (the step noise)', z],
    ["A+y (the operator's pseudo-inverse applied to y)", task.Apy],
  ];
  for (const [what, t] of inputs) if (t && !(await allFinite(t))) return what;
  try {
    await serialChain(task, {
      onStep: async (r) => {
        const at = `at step ${r.k + 1} of ${task.coeffs.T} (t = ${r.t})`;
        if (!(await allFinite(r.eps))) throw new Found(`the prior's eps ${at} (the prior ${task.inputs.model.name} returned NaN or Inf)`);
        if (!(await allFinite(r.x0Pred))) throw new Found(`the prior's x0 prediction ${at}`);
        if (!(await allFinite(r.next))) throw new Found(`the next state ${at} (the operator's projection of the prediction, or the step noise, overflowed)`);
      },
    }).then((r) => r.x0.dispose());
  } catch (e) {
    if (e instanceof Found) return e.message;
    throw e;
  }
  return null;
}

/** Throws NonFiniteError naming the first non-finite quantity when x0 (the result of `who`) is not finite. */
export async function checkFiniteX0(task: RestorationTask, x0: tf.Tensor, who: string): Promise<void> {
  if (await allFinite(x0)) return;
  const cause = await locateNonFinite(task);
  throw new NonFiniteError(`${who} produced NaN or Inf in x0; first non-finite quantity: ${cause ?? `none in the serial chain, so ${who} itself diverged`}`);
}

/**
 * Re-throws a solver's divergence as a NonFiniteError naming the input that caused it, when the
 * serial chain shows one (a bad prior, operator or y); a genuine divergence stays as it was.
 */
export async function explainDivergence(task: RestorationTask, e: unknown): Promise<never> {
  if (e instanceof SolverDivergedError) {
    const cause = await locateNonFinite(task);
    if (cause) throw new NonFiniteError(`the solve stopped at iteration ${e.iteration} with NaN or Inf; first non-finite quantity: ${cause}`);
  }
  throw e;
}
