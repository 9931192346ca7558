import * as tf from '@tensorflow/tfjs-core';
import { ParameterError } from '../../errors.js';
import { iterate } from './iterationLoop.js';
import type { FixedPointMap, PicardSettings, SolveOptions, SolveResult } from './solverTypes.js';

/**
 * Picard (Jacobi) iteration X <- (1 - beta) X + beta F(X). Exact after `rows` steps on a triangular
 * system when beta = 1, or with `triangular`: then the loop keeps the rows already final (one more
 * per call) from F(X) undamped, so damping slows only the rows still moving.
 */
export function picard(F: FixedPointMap, x0: tf.Tensor, settings: Omit<PicardSettings, 'kind'> & SolveOptions = {}): Promise<SolveResult> {
  const beta = settings.beta ?? 1;
  if (!(beta > 0 && beta <= 1)) throw new ParameterError(`picard: beta must lie in (0, 1], got ${beta}`);
  const lowerTriangular = settings.lowerTriangular === true || settings.triangular === true;
  return iterate(F, x0, { ...settings, lowerTriangular }, (x, fx) =>
    beta === 1 ? fx : tf.tidy(() => tf.add(tf.mul(x, 1 - beta), tf.mul(fx, beta))),
  );
}
