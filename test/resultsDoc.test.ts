import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESULTS_BLOCKS, RESULTS_DOC } from '../src/lib/bench/resultsBlocks.js';
import { COLOUR_QUALITY_BLOCK, qualityReport, type QualityResultsFile } from '../src/lib/bench/qualityReport.js';
import { readResultsFile } from '../src/lib/node/resultsReader.js';

const readme = () => readFileSync(RESULTS_DOC, 'utf8');
const count = (s: string, sub: string) => s.split(sub).length - 1;

describe('the generated numbers of docs/results.md', () => {
  it.each(RESULTS_BLOCKS)(
    '$name block is exactly what its results say (npm run results:docs regenerates it)',
    ({ name, sources, begin, end, render }) => {
      const text = readme();
      expect(count(text, begin), `docs/results.md should hold the ${name} block once`).toBe(1);
      const block = text.slice(text.indexOf(begin), text.indexOf(end) + end.length);
      expect(block.length, `docs/results.md has no ${name} block`).toBeGreaterThan(begin.length);
      expect(block, `docs/results.md disagrees with ${sources.join(', ')}: run \`npm run results:docs\``).toBe(render(readResultsFile));
    },
  );

  it('a results file that is missing gives a block that says it was not run, never numbers', () => {
    const colour = RESULTS_BLOCKS.find((b) => b.begin === COLOUR_QUALITY_BLOCK.begin)!;
    const block = colour.render(() => undefined);
    expect(block).toContain('Not run yet: `npm run bench -- quality-colour`');
    expect(block).not.toMatch(/\d+\.\d+ dB|±/);
    const grey = RESULTS_BLOCKS.find((b) => b.name === 'benchmark')!;
    expect(() => grey.render(() => undefined)).toThrow(/quality\.json is missing/);
  });

  it('a partial colour run names the colour command as the one that resumes it', () => {
    const grey = readResultsFile('data/benchmarks/quality.json') as QualityResultsFile;
    const partial: QualityResultsFile = { ...grey, complete: false, cells: grey.cells.slice(0, 1) };
    const block = qualityReport(partial, COLOUR_QUALITY_BLOCK);
    expect(block.startsWith(COLOUR_QUALITY_BLOCK.begin)).toBe(true);
    expect(block).toContain('(`npm run bench -- quality-colour` resumes it)');
  });
});
