import type * as tf from '@tensorflow/tfjs-core';
import { anderson } from './anderson.js';
import type { AndersonSettings, FixedPointMap, SolveOptions, SolveResult } from './solverTypes.js';

/**
 * ParaTAA (Tang et al., ICML 2024): triangular Anderson on a lower-triangular map. One mixing
 * problem per row and member, fitted to the residuals of that row and every row before it, and the
 * rows Picard has already made exact copied from F(X), so the solve keeps Picard's guarantee
 * (exact after `rows` iterations) and accelerates only the rows still moving.
 */
export function paraTaa(
  F: FixedPointMap,
  x0: tf.Tensor,
  settings: Omit<AndersonSettings, 'kind' | 'triangular'> & SolveOptions = {},
): Promise<SolveResult> {
  return anderson(F, x0, { ...settings, groups: 'row-upstream', triangular: true });
}
