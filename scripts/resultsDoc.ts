// npm run results:docs: rewrites the generated blocks of docs/results.md (src/lib/bench/resultsBlocks.ts)
// from the committed results in data/benchmarks/ and models/; test/resultsDoc.test.ts checks they agree.
import { readFileSync } from 'node:fs';
import { RESULTS_BLOCKS, RESULTS_DOC } from '../src/lib/bench/resultsBlocks.js';
import { withReport } from '../src/lib/bench/qualityReport.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';
import { readResultsFile } from '../src/lib/node/resultsReader.js';

let doc = readFileSync(RESULTS_DOC, 'utf8');
for (const b of RESULTS_BLOCKS) doc = withReport(doc, b.render(readResultsFile), b.begin, b.end);
await writeFileAtomic(RESULTS_DOC, doc);
console.log(
  `${RESULTS_DOC}: ${RESULTS_BLOCKS.map((b) => b.name).join(', ')} blocks rewritten from ${[...new Set(RESULTS_BLOCKS.flatMap((b) => b.sources))].join(', ')}`,
);
