// npm run results:readme: rewrites the README's generated blocks (src/lib/bench/readmeBlocks.ts)
// from the committed results in data/benchmarks/; test/readmeResults.test.ts checks they agree.
import { readFileSync } from 'node:fs';
import { README_BLOCKS } from '../src/lib/bench/readmeBlocks.js';
import { withReport } from '../src/lib/bench/qualityReport.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';
import { readResultsFile } from '../src/lib/node/resultsReader.js';

let readme = readFileSync('README.md', 'utf8');
for (const b of README_BLOCKS) readme = withReport(readme, b.render(readResultsFile), b.begin, b.end);
await writeFileAtomic('README.md', readme);
console.log(`README.md: ${README_BLOCKS.map((b) => b.name).join(', ')} blocks rewritten from ${[...new Set(README_BLOCKS.flatMap((b) => b.sources))].join(', ')}`);
