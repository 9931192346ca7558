// npm run results:readme: rewrites the README's generated blocks from the committed results:
// the benchmark block from data/benchmarks/quality.json (src/lib/bench/qualityReport.ts) and the
// "Which solver?" blocks from data/benchmarks/depth.json and depth-variants.json (src/lib/bench/depthReport.ts);
// the training-throughput table from data/benchmarks/train-throughput-*.json (src/lib/training/throughputReport.ts).
// test/readmeResults.test.ts checks they agree.
import { readFileSync } from 'node:fs';
import { DEPTH_BEGIN, DEPTH_END, depthReport, VARIANTS_BEGIN, VARIANTS_END, type DepthResultsFile } from '../src/lib/bench/depthReport.js';
import { qualityReport, withReport, type QualityResultsFile } from '../src/lib/bench/qualityReport.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';
import { THROUGHPUT_BEGIN, THROUGHPUT_END, throughputReport } from '../src/lib/training/throughputReport.js';
import { THROUGHPUT_FILES } from '../src/lib/training/throughputFiles.js';

const quality = JSON.parse(readFileSync('data/benchmarks/quality.json', 'utf8')) as QualityResultsFile;
const depth = JSON.parse(readFileSync('data/benchmarks/depth.json', 'utf8')) as DepthResultsFile;
let readme = readFileSync('README.md', 'utf8');
readme = withReport(readme, qualityReport(quality));
readme = withReport(readme, depthReport(depth), DEPTH_BEGIN, DEPTH_END);
const variants = JSON.parse(readFileSync('data/benchmarks/depth-variants.json', 'utf8')) as DepthResultsFile;
readme = withReport(readme, depthReport(variants, { begin: VARIANTS_BEGIN, end: VARIANTS_END, targets: false }), VARIANTS_BEGIN, VARIANTS_END);
const throughput = THROUGHPUT_FILES.map((f) => ({ ...f, file: JSON.parse(readFileSync(f.path, 'utf8')) }));
readme = withReport(readme, throughputReport(throughput), THROUGHPUT_BEGIN, THROUGHPUT_END);
await writeFileAtomic('README.md', readme);
console.log('README.md: benchmark and solver-depth blocks rewritten from data/benchmarks/quality.json and depth.json');
