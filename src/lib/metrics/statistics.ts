/**
 * Set statistics of the benchmarks: means with 95 % confidence intervals from Student's t (the
 * sample sizes are small enough that 1.96 would overstate the certainty), and paired differences,
 * which cancel what two methods share on one image (how hard the image is) and so resolve far
 * smaller differences than two separate means.
 */
export interface MeanCi {
  mean: number;
  /** Half-width of the 95 % confidence interval (NaN for fewer than two values). */
  ci95: number;
  n: number;
}

/** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 97.5 % quantile of t with `dof` degrees of freedom: a table to 30, then the Cornish-Fisher series (error < 1e-3). */
export function tQuantile975(dof: number): number {
  if (dof <= 30) return T975[dof - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * dof) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * dof ** 2);
}

export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { mean: NaN, ci95: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: NaN, n };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, ci95: (tQuantile975(n - 1) * sd) / Math.sqrt(n), n };
}

/** Mean and CI of a[i] - b[i] over the keys both have (the same images). */
export function pairedDifference(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): MeanCi {
  const d: number[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (w !== undefined) d.push(v - w);
  }
  return meanCi(d);
}

/** Groups rows by a key. */
export function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    m.set(k, [...(m.get(k) ?? []), r]);
  }
  return m;
}

/** The median; for an even count, the mean of the two middle values (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
