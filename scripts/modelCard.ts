/**
 * Writes the model card of a shipped model: a sample grid PNG (DDIM, T = 50, seeded) and
 * <model>.card.json, merging the training record written by `npm run train` with measured
 * eps latencies on this machine.
 *   npx tsx scripts/modelCard.ts [--model models/fashion-unet-small] [--threads 1] [--no-timing]
 *   npx tsx scripts/modelCard.ts --model models/emoji-unet      # the colour prior: RGB sample grid
 * Image shape, colour and names come from the weight file's config, so any UNet file works.
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { unetComplexity } from '../src/lib/models/unet/complexity.js';
import { decodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';
import { bytesSha256 } from '../src/lib/node/provenance.js';
import { cardQuality } from '../src/lib/quality/cardQuality.js';
import { recipeForShape } from '../src/lib/training/recipes.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { ddimSample } from '../src/lib/training/ddimSample.js';
import { gridRgba } from '../src/lib/training/imageGrid.js';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/fashion-unet-small' },
    threads: { type: 'string', default: '1' },
    'no-timing': { type: 'boolean', default: false },
    samples: { type: 'string', default: '64' },
    seed: { type: 'string', default: '1' },
  },
});
setThreadsCount(Number(a.threads));
await useNodeBackend('wasm');
const weightBytes = new Uint8Array(readFileSync(`${a.model}.safetensors`));
const { model, metadata } = await decodeUNet(weightBytes);
const weightsSha256 = bytesSha256(weightBytes);
const train = existsSync(`${a.model}.train.json`) ? JSON.parse(readFileSync(`${a.model}.train.json`, 'utf8')) : {};
const prev = existsSync(`${a.model}.card.json`) ? JSON.parse(readFileSync(`${a.model}.card.json`, 'utf8')) : {};
const schedule = linearSchedule();
const [H, W, C] = model.imageShape;

// Sample grid.
const count = Number(a.samples);
const t0 = performance.now();
const samples = ddimSample(model, schedule, { count, T: 50, seed: Number(a.seed) });
const pix = (await samples.data()) as Float32Array;
samples.dispose();
const sampleSeconds = (performance.now() - t0) / 1000;
const g = gridRgba(pix, count, H, W, 8, 2, 2, C);
const png = new PNG({ width: g.width, height: g.height });
png.data = Buffer.from(g.rgba);
await writeFileAtomic(`${a.model}.samples.png`, PNG.sync.write(png));
console.log(`sample grid: ${count} DDIM samples (T = 50) in ${sampleSeconds.toFixed(1)} s -> ${a.model}.samples.png`);

/** Median wall time of model.eps at a batch size, after one warm-up call. */
async function epsLatencyMs(batch: number, reps: number): Promise<number> {
  const x = tf.tensor4d(gaussianArray(batch * H * W * C, 5), [batch, H, W, C]);
  const t = new Array<number>(batch).fill(500);
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const s = performance.now();
    const y = model.eps(x, t);
    await y.data();
    y.dispose();
    if (i > 0) times.push(performance.now() - s);
  }
  x.dispose();
  times.sort((p, q) => p - q);
  return times[Math.floor(times.length / 2)];
}

let timing = prev.timing ?? null;
if (!a['no-timing']) {
  const rows = [];
  for (const [b, reps] of [
    [1, 20],
    [20, 5],
    [50, 5],
  ] as const) {
    const ms = await epsLatencyMs(b, reps);
    rows.push({ batch: b, medianMs: Number(ms.toFixed(1)), imagesPerSec: Number(((1000 * b) / ms).toFixed(1)) });
  }
  timing = {
    backend: `wasm, ${a.threads} thread(s)`,
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, loadAverage1m: os.loadavg()[0] },
    epsLatency: rows,
    note:
      'eps at batch T is the network part of one DeqIR iteration at T (batch 20 and 50). ' +
      'Measured while other processes may share the CPU: see loadAverage1m.',
    trainingImagesPerSec: {
      meanOverRun: train.trainSeconds ? Number(((train.steps * train.batchSize) / train.trainSeconds).toFixed(2)) : null,
      lastLogWindow: train.lastSessionImagesPerSec ?? null,
      note: `wasm, ${train.machine?.threads ?? 1} thread(s), sharing a 2-core machine with other jobs: a lower bound on an idle machine`,
    },
    command: `npx tsx scripts/modelCard.ts --threads ${a.threads}`,
    measuredAt: new Date().toISOString(),
  };
  console.table(rows);
}

const cx = unetComplexity(model.config, model.params);
const commit = (() => {
  try {
    return execSync('git rev-parse HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
})();
const card = {
  name: metadata.name ?? a.model.split('/').pop(),
  weights: `${a.model.split('/').pop()}.safetensors`,
  weightsSha256,
  kind: 'DDPM-style UNet eps-model (TF.js), EpsModel contract of src/lib/models/epsModel.ts',
  pixelRange: `[-1, 1], NHWC [B, ${H}, ${W}, ${C}]`,
  config: model.config,
  params: cx.params,
  flopsPerImage: cx.flopsPerImage,
  flopsNote: '2 x multiply-accumulates of convolutions, dense layers and attention matmuls; norms/activations not counted',
  schedule: train.schedule ?? { kind: 'linear', N: 1000, betaStart: 1e-4, betaEnd: 0.02 },
  dataset: train.dataset ?? null,
  training: {
    steps: train.steps ?? Number(metadata.steps),
    batchSize: train.batchSize,
    learningRate: train.hyper?.lr,
    warmupSteps: train.hyper?.warmupSteps,
    cooldown: train.hyper?.cooldown ?? null,
    gradClip: train.hyper?.gradClip,
    seed: train.hyper?.seed,
    ema: train.ema,
    objective: train.objective,
    finalLoss: train.finalLoss,
    lossCurve: train.lossCurve,
    trainSeconds: train.trainSeconds,
    machine: train.machine,
    gitCommitAtSave: train.gitCommit,
    command: train.command,
  },
  sampleGrid: {
    file: `${a.model.split('/').pop()}.samples.png`,
    sampler: 'DDIM eta = 0, T = 50 uniform, x0 clipped to [-1,1]',
    count,
    seed: Number(a.seed),
  },
  timing,
  // A quality record measured on other weights is dropped, never carried over.
  // (cardQuality also drops an FD-cls of fewer than 2,000 samples and recomputes the bar's verdicts.)
  quality: cardQuality(prev.quality, weightsSha256) ?? {
    status: `not measured for these weights yet: npm run quality -- --model ${a.model} (FD-cls vs naive Gaussian, class coverage, restoration sanity: ${recipeForShape(model.imageShape).sanityTasks.join(', ')})`,
  },
  cardGitCommit: commit,
  cardWrittenAt: new Date().toISOString(),
};
await writeFileAtomic(`${a.model}.card.json`, JSON.stringify(card, null, 2) + '\n');
console.log(`wrote ${a.model}.card.json`);
model.dispose();
