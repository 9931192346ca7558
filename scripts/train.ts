#!/usr/bin/env -S npx tsx
/**
 * Trains a UNet eps-model on the wasm backend (thin CLI; logic in src/lib/training): the grey
 * Fashion-MNIST prior (default) or the colour emoji prior (--data emoji).
 *
 *   npm run train -- --steps 4000 --batch 32            # fresh run
 *   npm run train -- --steps 8000 --resume              # continue from the default checkpoint
 *   npm run train -- --data emoji --steps 8000 --workers 2 [--resume]
 *   npm run train -- --data emoji --steps 24000 --resume --cooldown-from 21948   # decay lr to 0 at --steps
 *
 * --data names the data set (fashion, emoji; the recipes of src/lib/training/recipes.ts) or, as
 * before, a folder of Fashion-MNIST IDX files; --data-dir points a data set at another folder.
 * Checkpoint and output paths default to models/checkpoints/<model>.*, one set per data set.
 * --workers N splits each batch over N data-parallel engines (this thread and N-1 worker threads,
 * one core each; the same step up to float32 summation order; src/lib/node/parallelTraining/).
 * --share-saved makes wasm share the tensors saved for backward instead of copying them
 * (bit-identical; src/lib/backend/sharedIdentity.ts).
 * --cooldown-from S decays the learning rate linearly from step S to 0 at --steps
 * (src/lib/training/learningRate.ts); it is stored in the checkpoint, so later resumes keep it.
 *
 * Every --checkpoint-every seconds (and on SIGINT/SIGTERM or --max-minutes) it writes the
 * resumable checkpoint, the EMA weights and a training record JSON, all under models/checkpoints/:
 * training never overwrites the shipped model, whose card, quality figures and benchmarks describe
 * one set of weights. Ship new weights by copying them (see models/README.md).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { execSync } from 'node:child_process';
import os from 'node:os';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend, type NodeBackendName } from '../src/lib/backend/nodeBackend.js';
import { useSharedIdentity } from '../src/lib/backend/sharedIdentity.js';
import { startParallelTrainer } from '../src/lib/node/parallelTraining/parallelTrainer.js';
import { DEFAULT_DATA_DIRS, firstImages, loadRecipeSplit } from '../src/lib/node/trainingImages.js';
import { isRecipeKey, trainingRecipe } from '../src/lib/training/recipes.js';
import { encodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { unetComplexity } from '../src/lib/models/unet/complexity.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { decodeCheckpoint, encodeCheckpoint } from '../src/lib/training/checkpoint.js';
import { formatDuration, formatProgress } from '../src/lib/training/progress.js';
import { createTrainState, DEFAULT_HYPER, type TrainState } from '../src/lib/training/trainer.js';
import { cooldownError } from '../src/lib/training/learningRate.js';

const { values: a } = parseArgs({
  options: {
    steps: { type: 'string', default: '4000' },
    batch: { type: 'string', default: String(DEFAULT_HYPER.batchSize) },
    lr: { type: 'string', default: String(DEFAULT_HYPER.lr) },
    warmup: { type: 'string', default: String(DEFAULT_HYPER.warmupSteps) },
    ema: { type: 'string', default: String(DEFAULT_HYPER.emaDecay) },
    clip: { type: 'string', default: String(DEFAULT_HYPER.gradClip) },
    seed: { type: 'string', default: String(DEFAULT_HYPER.seed) },
    'cooldown-from': { type: 'string' },
    resume: { type: 'boolean', default: false },
    checkpoint: { type: 'string' },
    out: { type: 'string' },
    'checkpoint-every': { type: 'string', default: '300' },
    'max-minutes': { type: 'string', default: '0' },
    data: { type: 'string', default: 'fashion' },
    'data-dir': { type: 'string' },
    'share-saved': { type: 'boolean', default: false },
    subset: { type: 'string', default: '0' },
    threads: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    'log-every': { type: 'string', default: '25' },
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

const num = (k: keyof typeof a) => Number(a[k]);
setThreadsCount(num('threads'));
await useNodeBackend(a.backend as NodeBackendName);
if (a['share-saved']) useSharedIdentity(true);

// A data set name picks its recipe; any other --data is a Fashion-MNIST folder (the old meaning).
const recipe = trainingRecipe(isRecipeKey(a.data) ? a.data : 'fashion');
const dataDir = a['data-dir'] ?? (isRecipeKey(a.data) ? DEFAULT_DATA_DIRS[recipe.key] : a.data);
const checkpointPath = a.checkpoint ?? `models/checkpoints/${recipe.modelName}.ckpt.safetensors`;
const outStem = a.out ?? `models/checkpoints/${recipe.modelName}`;
const data = firstImages(loadRecipeSplit(recipe, 'train', dataDir), num('subset'));
const schedule = linearSchedule(1000, 1e-4, 0.02);

/** A usage error: one line, not a stack trace inside the wasm module's source. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let state: TrainState;
if (a.resume) {
  if (!existsSync(checkpointPath)) fail(`--resume: no checkpoint at ${checkpointPath}`);
  state = await decodeCheckpoint(new Uint8Array(readFileSync(checkpointPath)));
  if (state.config.imageShape.join() !== recipe.config.imageShape.join())
    fail(
      `--resume: ${checkpointPath} holds a model of [${state.config.imageShape}] images, not ${recipe.datasetName}'s [${recipe.config.imageShape}]`,
    );
  console.log(`resumed ${checkpointPath} at step ${state.step} (${formatDuration(state.trainSeconds)} trained so far)`);
} else {
  state = createTrainState(recipe.config, {
    batchSize: num('batch'),
    lr: num('lr'),
    warmupSteps: num('warmup'),
    emaDecay: num('ema'),
    gradClip: num('clip'),
    seed: num('seed'),
  });
}
const totalSteps = num('steps');
if (a['cooldown-from'] !== undefined) {
  const cooldown = { from: num('cooldown-from'), to: totalSteps };
  const why = cooldownError(cooldown, state.step);
  if (why) fail(`--cooldown-from: ${why}`);
  state.hyper = { ...state.hyper, cooldown };
}
if (state.hyper.cooldown) {
  const { from, to } = state.hyper.cooldown;
  if (totalSteps > to)
    fail(
      `--steps ${totalSteps}: the learning rate reaches 0 at step ${to} (cool-down from ${from}); pass --cooldown-from to set a new cool-down`,
    );
  console.log(`learning rate ${state.hyper.lr} decays linearly from step ${from} to 0 at step ${to}`);
}
const cx = unetComplexity(state.config, state.params);
console.log(
  `UNet ${JSON.stringify(state.config.channels)}: ${cx.params} params, ${(cx.flopsPerImage / 1e6).toFixed(1)} MFLOP/image; ` +
    `${data.count} training images, batch ${state.hyper.batchSize}, backend ${tf.getBackend()} x${num('threads')} thread(s), ${num('workers')} data-parallel worker(s)`,
);
const trainer = await startParallelTrainer(state, data, schedule, num('workers'));

function gitCommit(): string {
  try {
    return execSync('git rev-parse HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

function atomicWrite(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, bytes);
  renameSync(`${path}.tmp`, path);
}

let sessionImagesPerSec = 0;
async function saveAll(reason: string): Promise<void> {
  const commit = gitCommit();
  atomicWrite(checkpointPath, await encodeCheckpoint(state, { git_commit: commit }));
  atomicWrite(
    `${outStem}.safetensors`,
    await encodeUNet(state.config, state.ema, {
      name: recipe.modelName,
      dataset: recipe.weightsDataset,
      steps: String(state.step),
      ema_decay: String(state.hyper.emaDecay),
    }),
  );
  const record = {
    model: recipe.modelName,
    config: state.config,
    params: cx.params,
    flopsPerImage: cx.flopsPerImage,
    dataset: { name: recipe.datasetName, split: 'train', images: data.count, source: dataDir },
    steps: state.step,
    batchSize: state.hyper.batchSize,
    hyper: state.hyper,
    schedule: { kind: 'linear', N: 1000, betaStart: 1e-4, betaEnd: 0.02 },
    objective: 'eps-prediction MSE',
    ema: { decay: state.hyper.emaDecay, warmup: 'min(decay, (1+step)/(10+step))', weightsShipped: 'EMA' },
    finalLoss: state.lossCurve.at(-1)?.loss ?? null,
    lossCurve: state.lossCurve,
    trainSeconds: Math.round(state.trainSeconds),
    lastSessionImagesPerSec: Number(sessionImagesPerSec.toFixed(2)),
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      backend: tf.getBackend(),
      threads: num('threads'),
      workers: num('workers'),
      node: process.version,
    },
    gitCommit: commit,
    savedAt: new Date().toISOString(),
    command: `npm run train -- ${process.argv.slice(2).join(' ')}`,
  };
  atomicWrite(`${outStem}.train.json`, JSON.stringify(record, null, 2) + '\n');
  console.log(`saved (${reason}) at step ${state.step}: ${checkpointPath}, ${outStem}.safetensors`);
}

let stop = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    stop = true;
    console.log(`${sig}: checkpointing and stopping`);
  });

const ckptEvery = num('checkpoint-every') * 1000;
const maxMs = num('max-minutes') * 60_000;
const t0 = Date.now();
let lastSave = Date.now();
let lastLog = { time: performance.now(), step: state.step, lossSum: 0, n: 0 };
while (state.step < totalSteps && !stop) {
  const ts = performance.now();
  const loss = await trainer.step();
  state.trainSeconds += (performance.now() - ts) / 1000;
  lastLog.lossSum += loss;
  lastLog.n += 1;
  if (!Number.isFinite(loss)) throw new Error(`loss is ${loss} at step ${state.step}; not saving a broken state`);
  if (state.step % num('log-every') === 0 || state.step === totalSteps) {
    const now = performance.now();
    sessionImagesPerSec = ((state.step - lastLog.step) * state.hyper.batchSize) / ((now - lastLog.time) / 1000);
    console.log(
      `${new Date().toISOString().slice(11, 19)} ` +
        formatProgress({
          step: state.step,
          totalSteps,
          loss: lastLog.lossSum / lastLog.n,
          imagesPerSec: sessionImagesPerSec,
          batchSize: state.hyper.batchSize,
        }) +
        ` tensors ${tf.memory().numTensors}`,
    );
    lastLog = { time: now, step: state.step, lossSum: 0, n: 0 };
  }
  if (Date.now() - lastSave > ckptEvery) {
    await saveAll('periodic');
    lastSave = Date.now();
  }
  if (maxMs > 0 && Date.now() - t0 > maxMs) stop = true;
  await new Promise((r) => setImmediate(r)); // let signal handlers run
}
await trainer.close();
await saveAll(stop ? 'stopped' : 'done');
