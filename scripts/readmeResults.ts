// npm run results:readme: rewrites the README's benchmark block from data/benchmarks/quality.json
// (logic in src/lib/bench/qualityReport.ts; test/readmeResults.test.ts checks they agree).
import { readFileSync } from 'node:fs';
import { qualityReport, withReport, type QualityResultsFile } from '../src/lib/bench/qualityReport.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';

const results = JSON.parse(readFileSync('data/benchmarks/quality.json', 'utf8')) as QualityResultsFile;
await writeFileAtomic('README.md', withReport(readFileSync('README.md', 'utf8'), qualityReport(results)));
console.log('README.md: benchmark block rewritten from data/benchmarks/quality.json');
