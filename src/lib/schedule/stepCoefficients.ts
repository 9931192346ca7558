import { ParameterError } from '../errors.js';
import type { DiffusionSchedule } from './linearSchedule.js';
import { timestepSubsequence, type SkipType } from './timesteps.js';

/**
 * Per-step scalars of the DDNM step inside DDIM, in sampling order k = 0..T-1 (k = 0 starts at x_T).
 * Notation map to docs/design.md §2 (0-based k here, 1-based there):
 *   t[k], s[k]      start / next timestep (s = -1 after the last step)
 *   sqrtAbarT/S     sqrt(abar_t), sqrt(abar_s)
 *   c1, c2          noise and eps weights: c2 = sqrt(1-abar_s) sqrt(1-etw^2), c1 = sqrt(1-abar_s) nw
 *   e1, e2, n       the same in the u = x / sqrt(abar) scale: e1 = sqrt((1-abar_t)/abar_t),
 *                   e2 = c2 / sqrt(abar_s), n = c1 / sqrt(abar_s)
 */
export interface StepCoefficients {
  readonly T: number;
  readonly t: number[];
  readonly s: number[];
  readonly sqrtAbarT: Float64Array;
  readonly sqrtAbarS: Float64Array;
  readonly sqrtOneMinusAbarT: Float64Array;
  readonly c1: Float64Array;
  readonly c2: Float64Array;
  readonly e1: Float64Array;
  readonly e2: Float64Array;
  readonly n: Float64Array;
}

export interface SamplingSettings {
  T: number;
  skip?: SkipType;
  /** Weight of the deterministic DDIM direction: c2 = sqrt(1-abar_s) sqrt(1-etw^2). */
  etw?: number;
  /** Weight of fresh noise: c1 = sqrt(1-abar_s) nw. */
  nw?: number;
}

export function stepCoefficients(schedule: DiffusionSchedule, settings: SamplingSettings): StepCoefficients {
  const { T, skip = 'uniform', etw = 0, nw = 0 } = settings;
  if (!(etw >= 0 && etw <= 1)) throw new ParameterError(`etw must lie in [0, 1], got ${etw}`);
  if (!(nw >= 0 && nw <= 1)) throw new ParameterError(`nw must lie in [0, 1], got ${nw}`);
  const seq = timestepSubsequence(T, schedule.N, skip);
  const t = [...seq].reverse();
  const s = t.map((_, k) => (k + 1 < T ? t[k + 1] : -1));
  const f = () => new Float64Array(T);
  const c: StepCoefficients = {
    T,
    t,
    s,
    sqrtAbarT: f(),
    sqrtAbarS: f(),
    sqrtOneMinusAbarT: f(),
    c1: f(),
    c2: f(),
    e1: f(),
    e2: f(),
    n: f(),
  };
  for (let k = 0; k < T; k++) {
    const at = schedule.abar(t[k]);
    const as = schedule.abar(s[k]);
    c.sqrtAbarT[k] = Math.sqrt(at);
    c.sqrtAbarS[k] = Math.sqrt(as);
    c.sqrtOneMinusAbarT[k] = Math.sqrt(1 - at);
    c.c2[k] = Math.sqrt(1 - as) * Math.sqrt(1 - etw * etw);
    c.c1[k] = Math.sqrt(1 - as) * nw;
    c.e1[k] = Math.sqrt((1 - at) / at);
    c.e2[k] = c.c2[k] / Math.sqrt(as);
    c.n[k] = c.c1[k] / Math.sqrt(as);
  }
  return c;
}
