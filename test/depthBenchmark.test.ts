import { describe, expect, it } from 'vitest';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { depthsOf, runDepthBenchmark, summarizeDepth, type DepthUnit } from '../src/lib/bench/depthBenchmark.js';
import { depthReport } from '../src/lib/bench/depthReport.js';
import { fittedGaussianPrior } from '../src/lib/models/gaussianPrior.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { expectNoLeak } from './support/tfSetup.js';

describe('sequential depth to the serial x0', () => {
  it('is the first iteration meeting each criterion, null when none does', () => {
    const psnr = [10, 30, 41, 60, 90];
    const maxAbs = [1, 0.1, 0.01, 0.005, 1e-4];
    expect(depthsOf(psnr, maxAbs)).toEqual({ psnr40: 3, bit8: 4, abs1e3: 5 });
    expect(depthsOf([10, 20], [1, 0.5])).toEqual({ psnr40: null, bit8: null, abs1e3: null });
  });

  it('Picard and ParaTAA reach the serial x0 within T calls on every image, resumable unit by unit', async () => {
    const set = loadBenchmarkSubset();
    const model = fittedGaussianPrior(
      toSignedUnit(
        set,
        Array.from({ length: 64 }, (_, i) => 64 + i),
      ),
      64,
      [28, 28, 1],
    );
    const settings = {
      Ts: [8],
      tasks: ['sr4' as const],
      images: [0, 1],
      seed: 0,
      chunkSize: 64,
      prior: 'gaussian',
      variants: [
        { name: 'Picard', solver: { kind: 'picard' as const }, init: 'ddim-pinv' as const },
        { name: 'ParaTAA', solver: { kind: 'taa' as const, m: 3 }, init: 'ddim-pinv' as const },
      ],
    };
    const units: DepthUnit[] = [];
    await expectNoLeak(() =>
      runDepthBenchmark({ model, set, settings, done: new Set(['8|sr4|ParaTAA']), onUnit: async (u) => void units.push(u) }),
    );
    model.dispose?.();
    // The unit already done is skipped; the other is measured on both images.
    expect(units.map((u) => u.solver)).toEqual(['Picard']);
    const [u] = units;
    expect(u.images.map((r) => r.image)).toEqual([0, 1]);
    for (const r of u.images) {
      expect(r.depth.abs1e3).not.toBeNull();
      expect(r.depth.abs1e3!).toBeLessThanOrEqual(8);
      expect(r.depth.psnr40!).toBeLessThanOrEqual(r.depth.abs1e3!);
      expect(r.psnr).toHaveLength(u.iterations);
    }
    const [s] = summarizeDepth(units);
    expect(s.criteria.abs1e3.reached).toBe(2);
    expect(s.criteria.abs1e3.max).toBe(Math.max(...u.images.map((r) => r.depth.abs1e3!)));
  });

  it('a run cut at 40 dB stops there, records it, and reports the stricter criteria as not run', async () => {
    const set = loadBenchmarkSubset();
    const model = fittedGaussianPrior(
      toSignedUnit(
        set,
        Array.from({ length: 64 }, (_, i) => 64 + i),
      ),
      64,
      [28, 28, 1],
    );
    const settings = {
      Ts: [20],
      tasks: ['sr4' as const],
      images: [0, 1],
      seed: 0,
      chunkSize: 64,
      prior: 'gaussian',
      variants: [{ name: 'Picard', solver: { kind: 'picard' as const }, init: 'ddim-pinv' as const }],
    };
    const run = async (stopAt?: 'psnr40') => {
      const units: DepthUnit[] = [];
      await expectNoLeak(() =>
        runDepthBenchmark({ model, set, settings, done: new Set(), stopAt, onUnit: async (u) => void units.push(u) }),
      );
      return units[0];
    };
    const [cut, full] = [await run('psnr40'), await run()];
    model.dispose?.();
    expect(cut.stoppedAt).toBe('psnr40');
    expect(full.stoppedAt).toBeUndefined();
    // It stops at the first iteration where every image is within 40 dB, and the curves agree up to there.
    expect(cut.iterations).toBe(Math.max(...cut.images.map((r) => r.depth.psnr40!)));
    expect(cut.iterations).toBeLessThan(full.iterations);
    expect(cut.images.map((r) => r.depth.psnr40)).toEqual(full.images.map((r) => r.depth.psnr40));
    const [c] = summarizeDepth([cut]);
    expect(c.criteria.psnr40.run).toBe(true);
    expect(c.criteria.abs1e3.run).toBe(false);
    expect(summarizeDepth([full])[0].criteria.abs1e3.run).toBe(true);
    expect(
      depthReport({ provenance: { gitCommit: 'abc1234', gitDirty: false, date: '2026-12-01' }, complete: false, units: [cut] }),
    ).toContain('not run (cut)');
  });
});
