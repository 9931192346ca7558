import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { qualityReport, REPORT_BEGIN, REPORT_END, type QualityResultsFile } from '../src/lib/bench/qualityReport.js';
import { DEPTH_BEGIN, DEPTH_END, depthReport, VARIANTS_BEGIN, VARIANTS_END, type DepthResultsFile } from '../src/lib/bench/depthReport.js';

describe("the README's benchmark numbers", () => {
  it('are exactly what the committed quality results say (npm run results:readme regenerates them)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const results = JSON.parse(readFileSync('data/benchmarks/quality.json', 'utf8')) as QualityResultsFile;
    const block = readme.slice(readme.indexOf(REPORT_BEGIN), readme.indexOf(REPORT_END) + REPORT_END.length);
    expect(block.length, 'README.md has no quality-results block').toBeGreaterThan(REPORT_BEGIN.length);
    expect(block, 'README.md disagrees with data/benchmarks/quality.json: run `npm run results:readme`').toBe(qualityReport(results));
  });
});

describe("the README's solver-depth numbers", () => {
  it('are exactly what the committed depth results say (npm run results:readme regenerates them)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const results = JSON.parse(readFileSync('data/benchmarks/depth.json', 'utf8')) as DepthResultsFile;
    const block = readme.slice(readme.indexOf(DEPTH_BEGIN), readme.indexOf(DEPTH_END) + DEPTH_END.length);
    expect(block.length, 'README.md has no depth-results block').toBeGreaterThan(DEPTH_BEGIN.length);
    expect(block, 'README.md disagrees with data/benchmarks/depth.json: run `npm run results:readme`').toBe(depthReport(results));
  });
});

describe("the README's solver-variant numbers", () => {
  it('are exactly what the committed depth-variant results say', () => {
    const readme = readFileSync('README.md', 'utf8');
    const results = JSON.parse(readFileSync('data/benchmarks/depth-variants.json', 'utf8')) as DepthResultsFile;
    const block = readme.slice(readme.indexOf(VARIANTS_BEGIN), readme.indexOf(VARIANTS_END) + VARIANTS_END.length);
    expect(block.length, 'README.md has no depth-variants block').toBeGreaterThan(VARIANTS_BEGIN.length);
    expect(block, 'README.md disagrees with data/benchmarks/depth-variants.json: run `npm run results:readme`').toBe(
      depthReport(results, { begin: VARIANTS_BEGIN, end: VARIANTS_END, targets: false }),
    );
  });
});
