/**
 * Training throughput (images per second) of one UNet config, variants side by side in one run:
 * wasm threads, the shared-Identity speed-up (src/lib/backend/sharedIdentity.ts) and data-parallel
 * worker threads (src/lib/node/parallelTraining/). Each variant
 * runs in a fresh child process (wasm threads are fixed once the backend starts), rounds
 * alternate the variants, and every variant must produce the same losses: the same model and the
 * same step, only faster or slower.
 *
 *   npm run bench:train                                   # grey, t1,t1+share,t2,t2+share, 20 steps after 2
 *   npm run bench:train -- --variants t1,w2 --rounds 3     # one thread against two data-parallel workers
 *   npm run bench:train -- --data emoji --steps 20 --rounds 2 --out /tmp/benchTrain.json
 *   npm run bench:train -- --variants t1,t2 --batch 32
 *   npm run bench:train -- --variants t1 --profile          # also: where one step's time goes, by kernel
 *
 * Variant names: t<threads>, optionally +share, or w<workers> (data-parallel, one wasm thread each).
 * The images are the shipped test subset of the
 * data set (data/): a step's cost does not depend on which images it draws.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { useSharedIdentity } from '../src/lib/backend/sharedIdentity.js';
import { unetComplexity } from '../src/lib/models/unet/complexity.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { startParallelTrainer } from '../src/lib/node/parallelTraining/parallelTrainer.js';
import { provenance } from '../src/lib/node/provenance.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { trainingRecipe } from '../src/lib/training/recipes.js';
import { profileTrainStep, type StepProfile } from '../src/lib/training/stepProfile.js';
import { measureThroughput, type ThroughputRun } from '../src/lib/training/throughput.js';
import { createTrainState, DEFAULT_HYPER, disposeTrainState } from '../src/lib/training/trainer.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: 'fashion' },
    variants: { type: 'string', default: 't1,t1+share,t2,t2+share' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    batch: { type: 'string', default: String(DEFAULT_HYPER.batchSize) },
    rounds: { type: 'string', default: '1' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
    child: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (a.help) {
  console.log(
    readFileSync(new URL(import.meta.url))
      .toString()
      .split('*/')[0],
  );
  process.exit(0);
}

interface Variant {
  name: string;
  /** wasm threads per engine. */
  threads: number;
  /** Data-parallel shards (engines), 1 = the plain trainStep. */
  workers: number;
  share: boolean;
}

function parseVariant(name: string): Variant {
  const m = /^(t)(\d+)(\+share)?$|^(w)(\d+)()$/.exec(name.trim())?.filter((x) => x !== undefined);
  if (!m || Number(m[2]) < 1) throw new Error(`--variants: '${name}' is not t<threads>[+share] or w<workers> (e.g. t2+share, w2)`);
  const n = Number(m[2]);
  return { name: name.trim(), threads: m[1] === 't' ? n : 1, workers: m[1] === 'w' ? n : 1, share: Boolean(m[3]) };
}

const recipe = trainingRecipe(a.data);
const settings = { data: recipe.key, config: recipe.config, batch: Number(a.batch), warmup: Number(a.warmup), steps: Number(a.steps) };
const RESULT = 'BENCH_TRAIN_RESULT ';

if (a.child) {
  // One variant in this process.
  const v = parseVariant(a.child);
  setThreadsCount(v.threads);
  await useNodeBackend('wasm');
  useSharedIdentity(v.share);
  const images = loadBenchmarkSubset('data', recipe.subset);
  const state = createTrainState(recipe.config, { ...DEFAULT_HYPER, batchSize: settings.batch });
  const trainer = await startParallelTrainer(state, { count: images.count, pixels: images.pixels }, linearSchedule(), v.workers);
  const run = await measureThroughput(() => trainer.step(), state.hyper.batchSize, settings);
  await trainer.close();
  const tensorsAfter = tf.memory().numTensors;
  // One more step under tf.profile, after the timed ones (profiling adds its own overhead).
  const profile = a.profile ? await profileTrainStep(state, { count: images.count, pixels: images.pixels }, linearSchedule()) : undefined;
  disposeTrainState(state);
  console.log(RESULT + JSON.stringify({ variant: v, tensorsAfter, ...run, profile }));
  process.exit(0);
}

const variants = a.variants.split(',').map(parseVariant);
const self = fileURLToPath(import.meta.url);
type Run = ThroughputRun & { round: number; profile?: StepProfile };
const runs: Record<string, Run[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
for (let round = 0; round < Number(a.rounds); round++) {
  // Alternate the order each round, so a drift in machine load does not favour one variant.
  const order = round % 2 === 0 ? variants : [...variants].reverse();
  for (const v of order) {
    const args = [
      ...process.execArgv,
      self,
      '--child',
      v.name,
      '--data',
      a.data,
      '--steps',
      a.steps,
      '--warmup',
      a.warmup,
      '--batch',
      a.batch,
      ...(a.profile ? ['--profile'] : []),
    ];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
    const line = r.stdout.split('\n').find((l) => l.startsWith(RESULT));
    if (r.status !== 0 || !line) throw new Error(`variant ${v.name} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    const run = JSON.parse(line.slice(RESULT.length)) as Run;
    runs[v.name].push({ ...run, round });
    console.log(
      `round ${round + 1} ${v.name.padEnd(10)} ${run.imagesPerSec.toFixed(2).padStart(7)} img/s  median step ${run.medianStepMs.toFixed(0)} ms`,
    );
    if (run.profile)
      console.log(
        `  profile: ${run.profile.kernels
          .slice(0, 10)
          .map((k) => `${k.kernel} ${(100 * k.share).toFixed(1)} %`)
          .join(', ')}`,
      );
  }
}

// Same model, same step: every variant's losses must equal the first's (within float tolerance:
// more wasm threads or shards may sum in another order).
const ref = runs[variants[0].name][0].losses;
const maxLossDiff = (l: number[]) => Math.max(...l.map((x, i) => Math.abs(x - ref[i])));
const complexityOf = async () => {
  await useNodeBackend('cpu');
  const { initParams, disposeParams } = await import('../src/lib/models/unet/params.js');
  const p = initParams(recipe.config, 1);
  const c = unetComplexity(recipe.config, p);
  disposeParams(p);
  return c;
};
const cx = await complexityOf();
const summary = variants.map((v) => {
  const rs = runs[v.name];
  const ips = rs.map((r) => r.imagesPerSec);
  return {
    variant: v.name,
    threads: v.threads,
    workers: v.workers,
    sharedIdentity: v.share,
    imagesPerSec: Number((ips.reduce((x, y) => x + y, 0) / ips.length).toFixed(2)),
    perRound: ips,
    medianStepMs: rs.map((r) => r.medianStepMs),
    maxLossDiffToFirst: Math.max(...rs.map((r) => maxLossDiff(r.losses))),
  };
});
const result = {
  what: 'training throughput: images per second of one optimisation step (eps-MSE, Adam, EMA) on the wasm backend, single-engine or data-parallel',
  model: { name: recipe.modelName, config: recipe.config, params: cx.params, flopsPerImage: cx.flopsPerImage },
  summary,
  runs,
  provenance: provenance(settings, 'wasm'),
};
console.table(summary.map(({ perRound, medianStepMs, ...s }) => s));
if (a.out) {
  writeFileSync(a.out, JSON.stringify(result, null, 2) + '\n');
  console.log(`wrote ${a.out}`);
}
