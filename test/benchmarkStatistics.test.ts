import { describe, expect, it } from 'vitest';
import { meanCi, pairedDifference, tQuantile975 } from '../src/lib/bench/summarize.js';

describe('benchmark statistics', () => {
  it("95 % intervals use Student's t: n = 5 values 1..5 give 3 ± 2.776 sqrt(2.5) / sqrt(5)", () => {
    const r = meanCi([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.ci95).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 10);
    expect(meanCi([7]).ci95).toBeNaN();
  });

  it('the t quantile falls towards 1.96 and joins its table smoothly at 30 degrees of freedom', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(Math.abs(tQuantile975(31) - tQuantile975(30))).toBeLessThan(0.01);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 2);
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('paired differences cancel what two methods share on an image, and use only the images both have', () => {
    // Hard and easy images differ by 10 dB; method b is 0.1 dB better on every image.
    const a = new Map([[0, 20], [1, 30], [2, 25], [3, 35]]);
    const b = new Map([[0, 20.1], [1, 30.1], [2, 25.1], [3, 35.1], [9, 99]]);
    const d = pairedDifference(b, a);
    expect(d.n).toBe(4);
    expect(d.mean).toBeCloseTo(0.1, 10);
    expect(d.ci95).toBeLessThan(1e-9);
    // Unpaired, the two means' intervals are far wider than the difference.
    expect(meanCi([...a.values()]).ci95).toBeGreaterThan(5);
  });
});
