import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeDepth, type DepthUnit } from '../../src/lib/bench/depthBenchmark.js';

// The page component is plain JS for the browser; its pure helpers run in Node too.
const componentPath = '../../src/pages/components/depthCharts.js';
const colourPath = '../../src/pages/components/methodColours.js';

/** The loader's shape (src/pages/data/depth.json.ts) from the committed results. */
function loaderOutput() {
  const depth = JSON.parse(readFileSync('data/benchmarks/depth.json', 'utf8'));
  const s = depth.provenance.settings;
  return {
    complete: depth.complete,
    criteria: depth.criteria,
    defaultVariant: 'ParaTAA (m=3)',
    settings: { Ts: s.Ts, tasks: s.tasks, images: s.images.length, variants: s.variants },
    taskLabels: {},
    plannedUnits: 0,
    summary: summarizeDepth(depth.units as DepthUnit[]),
    units: depth.units,
  };
}

describe('the depth figures of Benchmarks and Solving', () => {
  it('average the per-task means of the committed run, as the summary has them', async () => {
    const m = await import(componentPath);
    const d = loaderOutput();
    const T = m.depthTs(d)[0];
    const rows = d.summary.filter((r) => r.T === T && r.solver === 'Picard');
    const a = m.depthAt(d, T, 'Picard', 'psnr40');
    expect(a.tasks).toBe(rows.length);
    expect(a.mean).toBeCloseTo(rows.reduce((x, r) => x + (r.criteria.psnr40.mean ?? 0), 0) / rows.length, 10);
    expect(a.worst).toBe(Math.max(...rows.map((r) => r.criteria.psnr40.max ?? NaN)));
    // Every sentence names T, the default solver and Picard with numbers from the data.
    const findings = m.depthFindings(d);
    expect(findings.length).toBe(m.depthTs(d).length);
    expect(findings[0]).toContain(`Picard in ${a.mean.toFixed(1)}`);
    expect(m.depthProgress(d)).toMatch(/units measured/);
  });

  it('colour the depth variants as their solver kinds', async () => {
    const { methodKey } = await import(colourPath);
    expect(['Picard', 'ParaTAA (m=3)', 'ParaTAA (m=2)', 'reference per-row Anderson (m=5, x_T start)'].map(methodKey)).toEqual([
      'picard',
      'taa',
      'taa',
      'anderson-per-row',
    ]);
  });
});
