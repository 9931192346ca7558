import { describe, expect, it } from 'vitest';

// The page helper is plain JS for the browser; it runs in Node too.
const componentPath = '../../src/pages/components/benchmarkFacts.js';
const rows = (method: string, values: number[]) => values.map((d) => ({ method, d }));

describe('rangeOf, the ranges the Benchmarks page writes in its sentences', () => {
  it('gives lowest to highest, with a plus sign on positives once the range holds a negative', async () => {
    const { rangeOf } = await import(componentPath);
    expect(rangeOf(rows('m', [0.5, -1.25, 2]), 'm', (r: { d: number }) => r.d, 2)).toBe('-1.25 to +2.00');
    expect(rangeOf(rows('m', [0.5, 2]), 'm', (r: { d: number }) => r.d, 1)).toBe('0.5 to 2.0');
  });

  it('prints a value that rounds to zero as 0, without a sign that would claim a direction', async () => {
    const { rangeOf } = await import(componentPath);
    expect(rangeOf(rows('m', [-0.00004, 0.0034]), 'm', (r: { d: number }) => r.d, 3)).toBe('0.000 to 0.003');
    expect(rangeOf(rows('m', [-0.002, 0.00001]), 'm', (r: { d: number }) => r.d, 3)).toBe('-0.002 to 0.000');
    expect(rangeOf(rows('m', [-0.00001, 0.00002]), 'm', (r: { d: number }) => r.d, 3)).toBe('0.000');
  });

  it('says "not yet measured" for a method without rows, and ignores missing values', async () => {
    const { rangeOf } = await import(componentPath);
    expect(rangeOf(rows('m', [1]), 'other', (r: { d: number }) => r.d, 1)).toBe('not yet measured');
    expect(rangeOf([...rows('m', [1]), { method: 'm', d: Number.NaN }], 'm', (r: { d: number }) => r.d, 1)).toBe('1.0');
  });
});
