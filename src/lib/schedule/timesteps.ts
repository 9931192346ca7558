import { ParameterError } from '../errors.js';

export type SkipType = 'uniform' | 'quad';

/**
 * The sampling subsequence tau_1 < ... < tau_T, ascending, as in DDIM/DDNM:
 *  - uniform: i * floor(N / T) for i = 0..T-1 (0, N/T, 2N/T, ... when T divides N). The reference
 *    takes range(0, N, N // T), which yields more than T entries when T does not divide N; we keep
 *    exactly T so that T means the number of network calls.
 *  - quad: floor((i / (T-1) * sqrt(0.8 N))^2), as the reference's `np.linspace(0, sqrt(N*0.8), T)**2`.
 *    Must be strictly increasing, which fails for T close to N: a ParameterError says so.
 * Sampling walks it from the largest entry down; the step after tau_1 goes to abar = 1 (t = -1).
 */
export function timestepSubsequence(T: number, N: number, skip: SkipType = 'uniform'): number[] {
  if (!Number.isInteger(T) || T < 1) throw new ParameterError(`T must be a positive integer, got ${T}`);
  if (T > N) throw new ParameterError(`T = ${T} exceeds the schedule length N = ${N}`);
  let seq: number[];
  if (skip === 'uniform') {
    const stride = Math.floor(N / T);
    seq = Array.from({ length: T }, (_, i) => i * stride);
  } else if (skip === 'quad') {
    const top = Math.sqrt(N * 0.8);
    seq = Array.from({ length: T }, (_, i) => Math.floor((T === 1 ? 0 : (i / (T - 1)) * top) ** 2));
    for (let i = 1; i < T; i++) {
      if (seq[i] <= seq[i - 1]) throw new ParameterError(`quad skip with T = ${T} repeats timestep ${seq[i]}; use uniform or a smaller T`);
    }
  } else {
    throw new ParameterError(`unknown skip type '${String(skip)}' (expected 'uniform' or 'quad')`);
  }
  return seq;
}
