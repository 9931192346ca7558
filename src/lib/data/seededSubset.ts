import { uniformStream } from '../random/prng.js';

/**
 * k distinct indices out of 0..n-1, chosen by a partial Fisher-Yates shuffle driven by our
 * seeded PRNG, returned in ascending order (so the subset file keeps the dataset's order).
 */
export function seededSubset(n: number, k: number, seed: number): number[] {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`cannot choose ${k} of ${n}`);
  const idx = Array.from({ length: n }, (_, i) => i);
  const rnd = uniformStream(seed);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}
