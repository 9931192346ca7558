/** Mean and a normal-approximation 95 % confidence half-width. */
export function meanCi(values: readonly number[]): { mean: number; ci95: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, ci95: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { mean, ci95: NaN, n };
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { mean, ci95: (1.96 * sd) / Math.sqrt(n), n };
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
