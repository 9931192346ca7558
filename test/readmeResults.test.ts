import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { qualityReport, REPORT_BEGIN, REPORT_END, type QualityResultsFile } from '../src/lib/bench/qualityReport.js';
import { THROUGHPUT_BEGIN, THROUGHPUT_END, throughputReport, type ThroughputResultsFile } from '../src/lib/training/throughputReport.js';
import { THROUGHPUT_FILES } from '../src/lib/training/throughputFiles.js';
import { DEPTH_BEGIN, DEPTH_END, depthReport, VARIANTS_BEGIN, VARIANTS_END, type DepthResultsFile } from '../src/lib/bench/depthReport.js';

/** Each generated README block, the results file it comes from and how it is rendered (scripts/readmeResults.ts). */
const BLOCKS = [
  { name: 'benchmark', file: 'data/benchmarks/quality.json', begin: REPORT_BEGIN, end: REPORT_END, render: (f: unknown) => qualityReport(f as QualityResultsFile) },
  { name: 'solver-depth', file: 'data/benchmarks/depth.json', begin: DEPTH_BEGIN, end: DEPTH_END, render: (f: unknown) => depthReport(f as DepthResultsFile) },
  {
    name: 'solver-variant', file: 'data/benchmarks/depth-variants.json', begin: VARIANTS_BEGIN, end: VARIANTS_END,
    render: (f: unknown) => depthReport(f as DepthResultsFile, { begin: VARIANTS_BEGIN, end: VARIANTS_END, targets: false }),
  },
  {
    name: 'training-throughput', file: THROUGHPUT_FILES[0].path, begin: THROUGHPUT_BEGIN, end: THROUGHPUT_END,
    render: () => throughputReport(THROUGHPUT_FILES.map((f) => ({ ...f, file: JSON.parse(readFileSync(f.path, 'utf8')) as ThroughputResultsFile }))),
  },
];

describe("the README's generated numbers", () => {
  it.each(BLOCKS)('$name block is exactly what $file says (npm run results:readme regenerates it)', ({ name, file, begin, end, render }) => {
    const readme = readFileSync('README.md', 'utf8');
    const results = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const block = readme.slice(readme.indexOf(begin), readme.indexOf(end) + end.length);
    expect(block.length, `README.md has no ${name} block`).toBeGreaterThan(begin.length);
    expect(block, `README.md disagrees with ${file}: run \`npm run results:readme\``).toBe(render(results));
  });
});
