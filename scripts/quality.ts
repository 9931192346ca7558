/**
 * The quality bar of issue 3 for a shipped model, written into <model>.card.json `quality`:
 *  - a small CNN classifier trained on the train split (cached in models/fashion-classifier.safetensors);
 *  - FD-cls: Fréchet distance on its 128 penultimate features between N images of a source and
 *    N test images, for the model (DDIM, T = 50), training images (the floor) and a diagonal
 *    Gaussian fitted to training pixels (the naive prior); bar: FD(model) <= 0.2 FD(naive);
 *  - class coverage of the model's samples (each class >= 3 %).
 *   npx tsx scripts/quality.ts [--model models/fashion-unet-small] [--samples 2000] [--threads 1]
 *   npx tsx scripts/quality.ts --classifier-only      # train/cache the classifier, print its accuracy
 *   npx tsx scripts/quality.ts --model models/emoji-unet --threads 2
 *
 * A colour model (its file says [32, 32, 3]) gets the restoration sanity on the emoji subset for
 * each of its recipe's tasks (colorize, sr4, inpaint-box); FD-cls and class coverage need a
 * classifier of its images, which exists only for Fashion-MNIST, so they are skipped for it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { DEFAULT_FASHION_DIR, loadFashionMnist } from '../src/lib/data/fashionMnist.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { FASHION_CLASSES, toSignedUnit } from '../src/lib/data/labelledImages.js';
import { seededSubset } from '../src/lib/data/seededSubset.js';
import type { Params } from '../src/lib/models/unet/params.js';
import { decodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { encodeWeights } from '../src/lib/models/weights/safetensors.js';
import { loadClassifierFile } from '../src/lib/node/loadModelFile.js';
import { bytesSha256 } from '../src/lib/node/provenance.js';
import { batchPixels, CLASSIFIER_SPECS, featuresOf, trainClassifier } from '../src/lib/quality/classifier.js';
import { frechetDistance, gaussianStats } from '../src/lib/quality/frechet.js';
import { fitPixelGaussian } from '../src/lib/data/pixelGaussian.js';
import { sampleDiagonalGaussian } from '../src/lib/quality/naiveGaussian.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { restorationSanity, type RestorationSanity } from '../src/lib/quality/restorationSanity.js';
import { recipeForShape } from '../src/lib/training/recipes.js';
import { measuredOnWeights } from '../src/lib/quality/weightsRecord.js';
import { ddimSample } from '../src/lib/training/ddimSample.js';
import * as tf from '@tensorflow/tfjs-core';
import { ANDERSON_DEFAULTS, DEFAULT_TOL } from '../src/lib/restoration/defaults.js';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/fashion-unet-small' },
    classifier: { type: 'string', default: 'models/fashion-classifier.safetensors' },
    samples: { type: 'string', default: '2000' },
    threads: { type: 'string', default: '1' },
    data: { type: 'string', default: DEFAULT_FASHION_DIR },
    seed: { type: 'string', default: '7' },
    'classifier-only': { type: 'boolean', default: false },
    'skip-fd': { type: 'boolean', default: false },
    'skip-restoration': { type: 'boolean', default: false },
    'restoration-images': { type: 'string', default: '256' },
    'deq-images': { type: 'string', default: '16' },
  },
});
setThreadsCount(Number(a.threads));
await useNodeBackend('wasm');
const N = Number(a.samples);
const seed = Number(a.seed);
const t0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${m}`);

const weightBytes = new Uint8Array(readFileSync(`${a.model}.safetensors`));
const { model } = await decodeUNet(weightBytes);
// Hash the bytes the model was decoded from, so the record names exactly the weights measured.
const weightsSha256 = bytesSha256(weightBytes);
const recipe = recipeForShape(model.imageShape);
const grey = recipe.key === 'fashion';

async function fdAndCoverage() {
  if (a['skip-fd'] && !a['classifier-only']) return null;
  if (!grey) {
    log(`FD-cls and class coverage skipped: no classifier for ${recipe.datasetName} images`);
    return null;
  }
  const train = loadFashionMnist('train', a.data);
  const test = loadFashionMnist('test', a.data);
  // 1. Classifier (cached).
  let clf: Params;
  if (existsSync(a.classifier)) {
    clf = await loadClassifierFile(a.classifier);
    log(`loaded classifier ${a.classifier}`);
  } else {
    clf = trainClassifier(train.pixels, train.labels, train.count, {
      epochs: 3, batchSize: 64, lr: 1e-3, seed, onEpoch: (e, l) => log(`classifier epoch ${e + 1}: loss ${l.toFixed(4)}`),
    });
    const arrays = await Promise.all(CLASSIFIER_SPECS.map(async (s) => ({ name: s.name, shape: s.shape, data: (await clf[s.name].data()) as Float32Array })));
    writeFileSync(a.classifier, await encodeWeights(arrays, { kind: 'fashion-classifier', epochs: '3', batch: '64', lr: '1e-3', seed: String(seed) }));
  }
  const allTest = Array.from({ length: test.count }, (_, i) => i);
  const testFeat = await featuresOf(clf, batchPixels(test.pixels, allTest), test.count);
  const accuracy = testFeat.predicted.reduce((s, c, i) => s + (c === test.labels[i] ? 1 : 0), 0) / test.count;
  log(`classifier test accuracy ${(100 * accuracy).toFixed(2)} %`);
  if (a['classifier-only']) process.exit(0);

  // 2. Reference: N test images; floor: N training images.
  const statsOf = async (images: Float32Array) => {
    const f = await featuresOf(clf, images, N);
    return { stats: gaussianStats(f.features, N, 128), predicted: f.predicted };
  };
  const ref = await statsOf(batchPixels(test.pixels, seededSubset(test.count, N, seed)));
  const floor = await statsOf(batchPixels(train.pixels, seededSubset(train.count, N, seed + 1)));
  const naive = await statsOf(sampleDiagonalGaussian(fitPixelGaussian(toSignedUnit(train, allIndices(train.count)), train.count), N, seed + 2));
  log('reference, floor and naive features done; sampling the model');

  // 3. Model samples.
  const ts = performance.now();
  const samples = ddimSample(model, linearSchedule(), { count: N, T: 50, seed: seed + 3, batchSize: 100 });
  const sampleData = (await samples.data()) as Float32Array;
  samples.dispose();
  const sampleSeconds = (performance.now() - ts) / 1000;
  log(`${N} DDIM samples in ${sampleSeconds.toFixed(0)} s`);
  const mod = await statsOf(sampleData);

  const fd = {
    model: frechetDistance(mod.stats, ref.stats),
    trainFloor: frechetDistance(floor.stats, ref.stats),
    naiveGaussian: frechetDistance(naive.stats, ref.stats),
  };
  const share = FASHION_CLASSES.map((_, c) => mod.predicted.filter((p) => p === c).length / N);
  const quality = {
    classifier: { architecture: 'conv32-pool-conv64-pool-fc128-fc10 (ReLU), 3 epochs, batch 64, Adam 1e-3', testAccuracy: accuracy, file: a.classifier },
    fdCls: { ...fd, ratioModelToNaive: fd.model / fd.naiveGaussian, bar: 'FD(model) <= 0.2 FD(naive)', passes: fd.model <= 0.2 * fd.naiveGaussian },
    samples: N,
    sampler: 'DDIM eta = 0, T = 50 uniform',
    classCoverage: { shares: Object.fromEntries(FASHION_CLASSES.map((c, i) => [c, Number(share[i].toFixed(4))])), minShare: Math.min(...share), passes: Math.min(...share) >= 0.03 },
    sampleSeconds: Math.round(sampleSeconds),
    weightsSha256,
    command: `npx tsx scripts/quality.ts --model ${a.model} --samples ${N} --threads ${a.threads}`,
    measuredAt: new Date().toISOString(),
  };
  console.log(JSON.stringify(quality, null, 2));
  return quality;
}

async function restoration() {
  if (a['skip-restoration']) return null;
  const images = loadBenchmarkSubset('data', recipe.subset);
  const results: (RestorationSanity & { passes: boolean })[] = [];
  for (const task of recipe.sanityTasks) {
    const r = await restorationSanity(model, images, {
      count: Number(a['restoration-images']), deqCount: Number(a['deq-images']), T: 20, seed, task,
      solver: { kind: 'anderson', ...ANDERSON_DEFAULTS, tol: DEFAULT_TOL, maxIter: 40 },
    });
    log(`${task} T=20: PSNR A+y ${r.psnrApy.toFixed(2)} dB, serial/DeqIR fixed point ${r.psnrSerial.toFixed(2)} dB; ` +
      `DeqIR (Anderson) on ${r.deq.images}: ${r.deq.psnr.toFixed(2)} dB vs A+y ${r.deq.psnrApySameImages.toFixed(2)} dB, ${r.deq.meanIterations.toFixed(1)} iterations`);
    results.push({ ...r, passes: r.psnrSerial > r.psnrApy });
  }
  const command = `npx tsx scripts/quality.ts --model ${a.model} --restoration-images ${a['restoration-images']} --deq-images ${a['deq-images']}`;
  // One task (the grey prior): the record keeps its old flat form; several: one entry per task.
  if (results.length === 1) return { ...results[0], weightsSha256, command };
  return { tasks: results, passes: results.every((r) => r.passes), weightsSha256, command };
}

const quality = await fdAndCoverage();
const restorationSanityResult = await restoration();
const cardPath = `${a.model}.card.json`;
if (existsSync(cardPath)) {
  const card = JSON.parse(readFileSync(cardPath, 'utf8'));
  const old = measuredOnWeights(card.quality, weightsSha256) ? card.quality : {};
  const oldRestoration = measuredOnWeights(old.restorationSanity, weightsSha256) ? old.restorationSanity : 'not measured';
  card.quality = { ...old, ...(quality ?? {}), restorationSanity: restorationSanityResult ?? oldRestoration };
  writeFileSync(cardPath, JSON.stringify(card, null, 2) + '\n');
  log(`updated ${cardPath}`);
}

function allIndices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
