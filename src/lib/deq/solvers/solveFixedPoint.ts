import type * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import { anderson } from './anderson.js';
import { paraTaa } from './paraTaa.js';
import { picard } from './picard.js';
import { SOLVER_KINDS, type FixedPointMap, type SolveResult, type SolverSettings } from './solverTypes.js';

/** Dispatches a solver by name (the names of problem files: SOLVER_KINDS). */
export function solveFixedPoint(F: FixedPointMap, x0: tf.Tensor, settings: SolverSettings): Promise<SolveResult> {
  switch (settings.kind) {
    case 'picard':
      return picard(F, x0, settings);
    case 'anderson':
      return anderson(F, x0, { ...settings, groups: 'state' });
    case 'anderson-per-row':
      return anderson(F, x0, { ...settings, groups: 'row' });
    case 'taa':
      return paraTaa(F, x0, settings);
    default:
      throw new ParameterError(
        `unknown solver '${String((settings as { kind: unknown }).kind)}' (expected one of ${SOLVER_KINDS.join(', ')})`,
      );
  }
}
