import { describe, expect, it } from 'vitest';
import { summarizeQualityFile, type CellResult } from '../src/lib/bench/restorationBenchmark.js';
import { meanCi, median, pairedDifference, tQuantile975 } from '../src/lib/metrics/statistics.js';

describe('benchmark statistics', () => {
  it("95 % intervals use Student's t: n = 5 values 1..5 give 3 ± 2.776 sqrt(2.5) / sqrt(5)", () => {
    const r = meanCi([1, 2, 3, 4, 5]);
    expect(r.mean).toBe(3);
    expect(r.ci95).toBeCloseTo((2.776 * Math.sqrt(2.5)) / Math.sqrt(5), 10);
    expect(meanCi([7]).ci95).toBeNaN();
  });

  it('the median of an even count is the mean of the two middle values, and does not reorder its input', () => {
    const v = [4, 1, 3, 2];
    expect(median(v)).toBe(2.5);
    expect(v).toEqual([4, 1, 3, 2]);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('the t quantile falls towards 1.96 and joins its table smoothly at 30 degrees of freedom', () => {
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(Math.abs(tQuantile975(31) - tQuantile975(30))).toBeLessThan(0.01);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 2);
    expect(tQuantile975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('paired differences cancel what two methods share on an image, and use only the images both have', () => {
    // Hard and easy images differ by 10 dB; method b is 0.1 dB better on every image.
    const a = new Map([
      [0, 20],
      [1, 30],
      [2, 25],
      [3, 35],
    ]);
    const b = new Map([
      [0, 20.1],
      [1, 30.1],
      [2, 25.1],
      [3, 35.1],
      [9, 99],
    ]);
    const d = pairedDifference(b, a);
    expect(d.n).toBe(4);
    expect(d.mean).toBeCloseTo(0.1, 10);
    expect(d.ci95).toBeLessThan(1e-9);
    // Unpaired, the two means' intervals are far wider than the difference.
    expect(meanCi([...a.values()]).ci95).toBeGreaterThan(5);
  });

  it('a DeqIR method is paired with the reference (η = 0) and with its own serial chain (same η), the chain its fixed point equals', () => {
    // Stochastic DDNM is 1 dB above the η = 0 reference with image-dependent scatter; the stochastic
    // DeqIR run reproduces the stochastic chain to 0.001 dB on every image.
    const psnr = { ref: [20, 30, 25, 35], chain: [21.5, 30.2, 26.4, 35.9] };
    const cell = (method: string, family: CellResult['family'], values: number[]): CellResult => ({
      key: `deblur|0.05|${method}`,
      task: 'deblur',
      description: '',
      sigmaY: 0.05,
      method,
      family,
      T: 20,
      oracle: false,
      cellWallMs: 0,
      peakTensors: 0,
      peakBytes: 0,
      images: values.map((v, image) => ({
        image,
        psnr: v,
        ssim: 0.5,
        consistency: 0,
        iterations: 1,
        nfe: 1,
        sequentialDepth: 1,
        wallMs: 1,
      })),
    });
    const deq = { name: 'Picard η=0.85', solver: { kind: 'picard' as const }, init: 'xT' as const, eta: 0.85 };
    const cells = [
      cell('DDNM serial T=20 η=0', 'DDNM', psnr.ref),
      cell('DDNM serial T=20 η=0.85', 'DDNM', psnr.chain),
      cell(
        'DeqIR Picard η=0.85 T=20',
        'DeqIR',
        psnr.chain.map((v) => v + 0.001),
      ),
    ];
    const summary = summarizeQualityFile({ cells, provenance: { settings: { methods: { deqT: 20, deq: [deq] } } } });
    const row = summary.find((r) => r.method === 'DeqIR Picard η=0.85 T=20')!;
    expect(row.reference).toBe('DDNM serial T=20 η=0');
    expect(row.psnrVsReference!.mean).toBeCloseTo(1.001, 10);
    expect(row.psnrVsReference!.ci95).toBeGreaterThan(0.3);
    expect(row.chain).toBe('DDNM serial T=20 η=0.85');
    expect(row.psnrVsChain!.mean).toBeCloseTo(0.001, 10);
    expect(row.psnrVsChain!.ci95).toBeLessThan(1e-9);
    // Serial chains have no chain of their own to be paired with.
    expect(summary.find((r) => r.method === 'DDNM serial T=20 η=0.85')!.psnrVsChain).toBeNull();
  });
});
