/**
 * The DDPM noise schedule (Ho et al. 2020): betas linear from betaStart to betaEnd over N steps.
 *
 * Notation map to docs/design.md §2: `betas[i]` = beta_{i+1}, `abar(t)` = abar_t = prod_{i<=t} (1 - beta_i)
 * for t in 0..N-1, and abar(-1) = 1 (the step after the smallest timestep lands on clean data).
 * Kept in float64: the closed form divides by sqrt(abar_T) ~ 6e-3.
 */
export interface DiffusionSchedule {
  readonly N: number;
  readonly betas: Float64Array;
  readonly alphaBars: Float64Array;
  abar(t: number): number;
}

export function linearSchedule(N = 1000, betaStart = 1e-4, betaEnd = 0.02): DiffusionSchedule {
  if (!Number.isInteger(N) || N < 2) throw new RangeError(`schedule length N must be an integer >= 2, got ${N}`);
  if (!(betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd)) {
    throw new RangeError(`betas must satisfy 0 < betaStart <= betaEnd < 1, got ${betaStart}..${betaEnd}`);
  }
  const betas = new Float64Array(N);
  const alphaBars = new Float64Array(N);
  let prod = 1;
  for (let i = 0; i < N; i++) {
    betas[i] = betaStart + ((betaEnd - betaStart) * i) / (N - 1);
    prod *= 1 - betas[i];
    alphaBars[i] = prod;
  }
  return {
    N,
    betas,
    alphaBars,
    abar(t: number): number {
      if (t === -1) return 1;
      if (!Number.isInteger(t) || t < 0 || t >= N) throw new RangeError(`timestep ${t} outside -1..${N - 1}`);
      return alphaBars[t];
    },
  };
}

/**
 * The linear schedule with these betas (as a worker thread receives them), checked to be linear:
 * a schedule of another shape would silently become the linear one through its end points.
 */
export function linearScheduleFromBetas(betas: ArrayLike<number>): DiffusionSchedule {
  const N = betas.length;
  const s = linearSchedule(N, betas[0], betas[N - 1]);
  if (s.betas.some((b, i) => Math.abs(b - betas[i]) > 1e-12))
    throw new RangeError('the schedule is not the linear one its end points give');
  return s;
}
