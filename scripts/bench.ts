// npm run bench -- <suite> [--quick] [--out FILE] [--images N] [--threads 1] [--allow-dirty]: benchmarks that print side-by-side
// numbers and save JSON with provenance under data/benchmarks/. Logic lives in src/lib/bench.
//   solvers    iterations to the serial x0 per solver, T and operator (Gaussian prior)
//   gradients  cost and accuracy of implicit / phantom / serial gradients; init optimization
//   depth      batched network calls in a row until each solver's x0 reaches the serial x0 (UNet;
//              T 20/50/100, four tasks, 8 images; resumable; --quick: T 20, SR x4, 2 images;
//              --stop-at psnr40|bit8 stops each run once every image meets that criterion, to fit a
//              long run: the units record it, the reports say "not run (cut)" for the stricter ones)
//   depth-variants  the same for ideas that lost (chain form, damping, coarse-to-fine start) at T 20
//   stopping-calibration  the default solve at its own stop, sweeping the rule's tolerance on images and a
//              seed the benchmarks never use (one image at a time; T 20/50/100, four tasks; resumable)
//   stopping   the default solve at its own stop on the benchmark's images (depth, NFE, PSNR to the
//              serial x0, wall against the serial chain) and interleaved wall-clock repeats at T 20/50/100
//   quality    every restoration method on every task with the trained UNet (resumable;
//              --quick recomputes the slice test/benchmarkQuick.test.ts checks; --images N sizes a full run;
//              --model FILE reads the prior's weights from FILE, e.g. the committed ones while training runs;
//              --reverse measures the cells from the last, so a second process on another core can work
//              towards the first; --also FILE (repeatable) reuses the cells of another results file of the same run)
//   quality-colour  the same statistics for the colour prior on the emoji subset: colorization, SR x4
//              and box inpainting at sigma_y 0 and 0.05, 64 emoji spread over the subset (resumable; same options but --quick)
// Results name the commit that made them, so a run refuses a work tree with uncommitted changes to
// tracked files; --allow-dirty runs anyway and the results say so (gitDirty: true, shown on the pages).
import { parseArgs } from 'node:util';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { uncommittedChanges } from '../src/lib/node/provenance.js';
import { depthSuite, depthVariantSuite } from './bench/depth.js';
import { DEPTH_CRITERIA, type DepthCriterion } from '../src/lib/bench/depthBenchmark.js';
import { gradientSuite } from './bench/gradients.js';
import { phantomSuite } from './bench/phantom.js';
import { colourQualitySuite, qualitySuite } from './bench/quality.js';
import { solverSuite } from './bench/solvers.js';
import { stoppingCalibrationSuite, stoppingSuite } from './bench/stopping.js';

const SUITES: Record<
  string,
  (
    backend: string,
    quick: boolean,
    out?: string,
    opts?: { images?: number; model?: string; reverse?: boolean; also?: string[]; stopAt?: DepthCriterion },
  ) => Promise<void>
> = {
  solvers: solverSuite,
  gradients: gradientSuite,
  phantom: phantomSuite,
  quality: qualitySuite,
  'quality-colour': colourQualitySuite,
  depth: depthSuite,
  'depth-variants': depthVariantSuite,
  stopping: stoppingSuite,
  'stopping-calibration': stoppingCalibrationSuite,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    images: { type: 'string' },
    model: { type: 'string' },
    'allow-dirty': { type: 'boolean', default: false },
    threads: { type: 'string', default: '1' },
    reverse: { type: 'boolean', default: false },
    also: { type: 'string', multiple: true },
    'stop-at': { type: 'string' },
  },
});
const names = positionals.length ? positionals : ['solvers'];
if ((values.reverse || values.also) && names.some((n) => !n.startsWith('quality'))) {
  console.error('bench: --reverse and --also apply to the quality suites only');
  process.exit(2);
}
const stopAt = values['stop-at'];
if (stopAt !== undefined && !DEPTH_CRITERIA.some((c) => c.key === stopAt)) {
  console.error(`bench: --stop-at must be one of ${DEPTH_CRITERIA.map((c) => c.key).join(', ')}, got '${stopAt}'`);
  process.exit(2);
}
if (stopAt !== undefined && names.some((n) => !n.startsWith('depth'))) {
  console.error('bench: --stop-at applies to the depth suites only');
  process.exit(2);
}
for (const n of names) {
  if (!SUITES[n]) {
    console.error(`bench: unknown suite '${n}' (available: ${Object.keys(SUITES).join(', ')})`);
    process.exit(2);
  }
}
const dirty = uncommittedChanges();
if (dirty.length && !values['allow-dirty']) {
  console.error(
    `bench: the work tree has uncommitted changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): results would name a commit that did not make them. Commit first, or pass --allow-dirty (the results then record gitDirty: true).`,
  );
  process.exit(2);
}
const threads = Number(values.threads);
if (!(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
  console.error(`bench: --threads must be an integer from 1 to 64, got '${values.threads}'`);
  process.exit(2);
}
setThreadsCount(threads); // wasm threads; set before the backend starts
const backend = await useNodeBackend('wasm');
const images = values.images === undefined ? undefined : Number(values.images);
if (images !== undefined && !(Number.isInteger(images) && images >= 1)) {
  console.error(`bench: --images must be a positive integer, got '${values.images}'`);
  process.exit(2);
}
for (const n of names)
  await SUITES[n](backend, values.quick ?? false, values.out, {
    images,
    model: values.model,
    reverse: values.reverse,
    also: values.also,
    stopAt: stopAt as DepthCriterion | undefined,
  });
