/**
 * The quality bar (grey and colour) for a model, written into
 * <model>.card.json `quality`:
 *  - a small CNN classifier of the data set's images and classes, trained on its train split
 *    (cached in models/<data set>-classifier.safetensors; src/lib/quality/qualityRecipes.ts);
 *  - FD-cls: Fréchet distance on its 128 penultimate features between N images of a source and
 *    the test images (N of them, or all when the split is smaller), for the model (DDIM, T = 50),
 *    training images (the floor) and a diagonal Gaussian fitted to training pixels (the naive
 *    prior); bar: FD(model) <= 0.2 FD(naive);
 *  - class coverage of the model's samples (each class >= 3 %; classes under 4 % of the training
 *    images are reported, not judged: src/lib/quality/classCoverage.ts);
 *  - restoration sanity (DeqIR's fixed point beats A+y) for each of the recipe's tasks: by PSNR,
 *    or for colorization by paired FD-cls against the originals (src/lib/quality/sanityMeasure.ts).
 *   npx tsx scripts/quality.ts [--model models/fashion-unet-small] [--samples 2000] [--threads 1]
 *   npx tsx scripts/quality.ts --classifier-only      # train/cache the classifier, print its accuracy
 *   npx tsx scripts/quality.ts --model models/emoji-unet --classifier-only   # the colour classifier (no weights needed)
 *   npx tsx scripts/quality.ts --model models/emoji-unet --workers 2 [--estimate-only]
 * --workers N samples the FD run on N worker threads (one engine each; the same samples as one
 * thread: src/lib/node/parallelSampling/), the way to use more than one core; --threads sets the
 * wasm backend's own threads, which barely help.
 * FD-cls refuses fewer than 500 samples unless --smoke; a card records FD and coverage only from
 * 2,000 or more samples (src/lib/quality/fdSamples.ts). The card is written after each phase, so
 * a run stopped during restoration sanity keeps its FD-cls and coverage.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import type { EpsModel } from '../src/lib/models/epsModel.js';
import { decodeUNet } from '../src/lib/models/weights/unetWeights.js';
import { writeFileAtomic } from '../src/lib/node/atomicWrite.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { loadClassifierFile } from '../src/lib/node/loadModelFile.js';
import { bytesSha256, fileSha256 } from '../src/lib/node/provenance.js';
import { DEFAULT_DATA_DIRS, loadRecipeSplit } from '../src/lib/node/trainingImages.js';
import { CLASSIFIER_ARCHITECTURE, disposeClassifier, featuresOf, trainClassifier, type Classifier } from '../src/lib/quality/classifier.js';
import { encodeClassifier } from '../src/lib/quality/classifierFile.js';
import { fdClsBar } from '../src/lib/quality/fdClsBar.js';
import { checkFdSamples, FD_CARD_SAMPLES, FD_SAMPLE_BATCH, FD_SAMPLE_T, fdRecordable } from '../src/lib/quality/fdSamples.js';
import { qualityRecipe } from '../src/lib/quality/qualityRecipes.js';
import { judgeSanity, type JudgedSanity } from '../src/lib/quality/judgeSanity.js';
import { restorationSanity } from '../src/lib/quality/restorationSanity.js';
import { sanityMeasure } from '../src/lib/quality/sanityMeasure.js';
import { parallelDdimSample, sampleShares } from '../src/lib/node/parallelSampling/parallelDdimSample.js';
import { linearSchedule } from '../src/lib/schedule/linearSchedule.js';
import { estimateSamplingSeconds } from '../src/lib/quality/samplingProgress.js';
import { mergedQuality, type QualityPart } from '../src/lib/quality/cardQuality.js';
import { ANDERSON_DEFAULTS, RELATIVE_TOL } from '../src/lib/deq/solvers/solverDefaults.js';
import { RECIPE_KEYS, recipeForShape, trainingRecipe, TRAINING_RECIPES, type TrainingRecipe } from '../src/lib/training/recipes.js';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/fashion-unet-small' },
    /** The data set when the model file is not there yet (--classifier-only); else read from the file. */
    recipe: { type: 'string' },
    classifier: { type: 'string' },
    samples: { type: 'string', default: String(FD_CARD_SAMPLES) },
    threads: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    data: { type: 'string' },
    seed: { type: 'string', default: '7' },
    'classifier-only': { type: 'boolean', default: false },
    'skip-fd': { type: 'boolean', default: false },
    'skip-restoration': { type: 'boolean', default: false },
    /** Print the estimated sampling time of the FD run and stop. */
    'estimate-only': { type: 'boolean', default: false },
    /** Allow FD-cls from fewer than 500 samples (dry runs); nothing of it goes into the card. */
    smoke: { type: 'boolean', default: false },
    'restoration-images': { type: 'string', default: '256' },
    'deq-images': { type: 'string', default: '16' },
  },
});
setThreadsCount(Number(a.threads));
await useNodeBackend('wasm');
const N = Number(a.samples);
const seed = Number(a.seed);
const workers = Number(a.workers);
const t0 = performance.now();
const log = (m: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${m}`);
const minutes = (s: number) => (s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);

const weightsPath = `${a.model}.safetensors`;
const weightBytes = existsSync(weightsPath) ? new Uint8Array(readFileSync(weightsPath)) : null;
const model: EpsModel | null = weightBytes ? (await decodeUNet(weightBytes)).model : null;
// Hash the bytes the model was decoded from, so the record names exactly the weights measured.
const weightsSha256 = weightBytes ? bytesSha256(weightBytes) : '';
const recipe = preflight(resolveRecipe);
const qr = qualityRecipe(recipe);
const classifierPath = a.classifier ?? qr.classifierFile;
const dataDir = a.data ?? DEFAULT_DATA_DIRS[recipe.key];
preflight(() => {
  if (!model && !a['classifier-only']) throw new Error(`${weightsPath} not found (only --classifier-only runs without weights)`);
  if (!a['skip-fd'] && !a['classifier-only']) checkFdSamples(N, a.smoke);
  if (!(Number.isInteger(workers) && workers >= 1)) throw new Error(`--workers must be an integer >= 1, got '${a.workers}'`);
});

/** Bad arguments end the run before any work with the reason alone (exit code 2), no stack trace. */
function preflight<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    console.error(`quality: ${(e as Error).message}`);
    process.exit(2);
  }
}

/** --recipe, else the model file's image shape, else the model's file name (emoji-unet). */
function resolveRecipe(): TrainingRecipe {
  if (a.recipe) return trainingRecipe(a.recipe);
  if (model) return recipeForShape(model.imageShape);
  const byName = RECIPE_KEYS.find((k) => TRAINING_RECIPES[k].modelName === basename(a.model));
  if (!byName) throw new Error(`${weightsPath} not found and --recipe not given (one of ${RECIPE_KEYS.join(', ')})`);
  return TRAINING_RECIPES[byName];
}

/** The cached classifier, or one trained now on the full train split and written atomically. */
async function classifierOf(train: ReturnType<typeof loadRecipeSplit>): Promise<Classifier> {
  if (existsSync(classifierPath)) {
    const clf = await loadClassifierFile(classifierPath, qr.classifierShape);
    log(`loaded classifier ${classifierPath}`);
    return clf;
  }
  log(`training the ${recipe.datasetName} classifier on ${train.count} images: ${JSON.stringify(qr.training)}, seed ${seed}`);
  const clf = trainClassifier(train, qr.classifierShape, {
    ...qr.training,
    seed,
    onEpoch: (e, l) => log(`classifier epoch ${e + 1}/${qr.training.epochs}: loss ${l.toFixed(4)}`),
  });
  const meta = Object.fromEntries(
    Object.entries({ kind: `${recipe.key}-classifier`, ...qr.training, seed }).map(([k, v]) => [k, String(v)]),
  );
  await writeFileAtomic(classifierPath, await encodeClassifier(clf, meta));
  log(`wrote ${classifierPath}`);
  return clf;
}

const runsFd = !a['skip-fd'] || a['classifier-only'];
const runsRestoration = !(a['skip-restoration'] || a['classifier-only'] || a['estimate-only']);
const judgesByDistribution = recipe.sanityTasks.some((t) => sanityMeasure(t) !== 'psnr');

async function fdAndCoverage(clf: Classifier, train: ReturnType<typeof loadRecipeSplit>) {
  const test = loadRecipeSplit(recipe, 'test', dataDir);
  const allTest = Array.from({ length: test.count }, (_, i) => i);
  const { predicted } = await featuresOf(clf, toSignedUnit(test, allTest), test.count);
  const accuracy = predicted.reduce((s, c, i) => s + (c === test.labels[i] ? 1 : 0), 0) / test.count;
  const perClass = Object.fromEntries(
    qr.classNames.map((name, c) => {
      const idx = allTest.filter((i) => test.labels[i] === c);
      const right = idx.filter((i) => predicted[i] === c).length;
      return [name, { images: idx.length, accuracy: idx.length ? Number((right / idx.length).toFixed(4)) : null }];
    }),
  );
  log(`classifier test accuracy ${(100 * accuracy).toFixed(2)} % on ${test.count} test images`);
  for (const [name, r] of Object.entries(perClass))
    log(`  ${name}: ${r.accuracy === null ? '-' : (100 * r.accuracy).toFixed(1) + ' %'} of ${r.images}`);
  const classifier = {
    architecture: `${CLASSIFIER_ARCHITECTURE}, ${qr.training.epochs} epochs, batch ${qr.training.batchSize}, Adam ${qr.training.lr}${qr.training.hflip ? ', left-right flips' : ''}`,
    testAccuracy: Number(accuracy.toFixed(4)),
    testAccuracyPerClass: perClass,
    file: classifierPath,
    fileSha256: fileSha256(classifierPath),
  };
  if (a['classifier-only']) return null;

  const est = estimateSamplingSeconds(model!, { count: N, T: FD_SAMPLE_T, batchSize: FD_SAMPLE_BATCH });
  // The largest share sets the wall time; the estimate assumes each worker gets a core of its own.
  const shareRows = sampleShares(N, FD_SAMPLE_BATCH, workers).map((s) => s.end - s.start);
  const shares = shareRows.length;
  log(
    `sampling estimate: ${N} DDIM samples at T = ${FD_SAMPLE_T} take about ${minutes((est.seconds * Math.max(...shareRows)) / N)} ` +
      `(${est.calls} eps calls of batch ${Math.min(FD_SAMPLE_BATCH, N)}, timed ${est.secondsPerCall.toFixed(2)} s per call on ${a.threads} thread(s)` +
      `${shares > 1 ? `, shared by ${shares} worker threads` : ''}, load ${(await import('node:os')).loadavg()[0].toFixed(1)})`,
  );
  if (a['estimate-only']) return null;

  let lastReport = 0;
  const r = await fdClsBar(model!, clf, qr.classNames, train, test, {
    samples: N,
    seed,
    allowFewSamples: a.smoke,
    log,
    drawSamples:
      workers > 1 ? (settings, onCall) => parallelDdimSample(weightBytes!, linearSchedule(), { ...settings, workers, onCall }) : undefined,
    onSampling: (done, total, sec) => {
      if (done !== total && sec - lastReport < 60) return;
      lastReport = sec;
      log(
        `sampling: ${done}/${total} eps calls (${((100 * done) / total).toFixed(0)} %), ${minutes(sec)} elapsed, ETA ${minutes((sec / done) * (total - done))}`,
      );
    },
  });
  const quality = {
    classifier,
    ...r,
    weightsSha256,
    command: `npx tsx scripts/quality.ts --model ${a.model} --samples ${N} --threads ${a.threads} --workers ${workers}${a['skip-restoration'] ? ' --skip-restoration' : ''}`,
    measuredAt: new Date().toISOString(),
  };
  console.log(JSON.stringify(quality, null, 2));
  if (!fdRecordable(N) || a.smoke) {
    log(
      `FD-cls and coverage from ${N} samples${a.smoke ? ' (--smoke)' : ''} are not written to the card (it records them from ${FD_CARD_SAMPLES} or more)`,
    );
    return null;
  }
  return quality;
}

async function restoration(clf: Classifier | null) {
  const images = loadBenchmarkSubset('data', recipe.subset);
  const results: JudgedSanity[] = [];
  for (const task of recipe.sanityTasks) {
    const r = await restorationSanity(model!, images, {
      count: Number(a['restoration-images']),
      deqCount: Number(a['deq-images']),
      T: 20,
      seed,
      task,
      keepImages: sanityMeasure(task) !== 'psnr',
      solver: { kind: 'anderson', ...ANDERSON_DEFAULTS, rule: 'relative', tol: RELATIVE_TOL, maxIter: 40 },
    });
    const judged = await judgeSanity(r, clf, { seed });
    const fd = judged.pairedFdCls;
    log(
      `${task} T=20: PSNR A+y ${r.psnrApy.toFixed(2)} dB, serial/DeqIR fixed point ${r.psnrSerial.toFixed(2)} dB; ` +
        `DeqIR (Anderson) on ${r.deq.images}: ${r.deq.psnr.toFixed(2)} dB vs A+y ${r.deq.psnrApySameImages.toFixed(2)} dB, ${r.deq.meanIterations.toFixed(1)} iterations` +
        (fd ?
          `; paired FD-cls ${fd.fdRestored.toFixed(2)} vs A+y ${fd.fdBaseline.toFixed(2)}, difference ${fd.difference.toFixed(2)} (95 % CI ${fd.ci95.map((v) => v.toFixed(2)).join(' to ')})`
        : '') +
        `: ${judged.passes ? 'passes' : 'fails'} (${judged.measure})`,
    );
    results.push(judged);
  }
  const command = `npx tsx scripts/quality.ts --model ${a.model} --restoration-images ${a['restoration-images']} --deq-images ${a['deq-images']}`;
  // One task (the grey prior): the record keeps its old flat form; several: one entry per task.
  if (results.length === 1) return { ...results[0], weightsSha256, command };
  return { tasks: results, passes: results.every((r) => r.passes), weightsSha256, command };
}

// One classifier serves FD-cls and colorization's paired FD; the train split only where it is needed.
const train = runsFd || (runsRestoration && judgesByDistribution) ? loadRecipeSplit(recipe, 'train', dataDir) : null;
const clf = train ? await classifierOf(train) : null;
const cardPath = `${a.model}.card.json`;

/** Writes one phase's measurement into the card right after the phase (mergedQuality). */
async function recordInCard(part: QualityPart): Promise<void> {
  if (!model || !existsSync(cardPath)) return;
  const card = JSON.parse(readFileSync(cardPath, 'utf8'));
  card.quality = mergedQuality(card.quality, part, weightsSha256);
  log(`bar verdicts: ${JSON.stringify(card.quality.verdicts)}`);
  await writeFileAtomic(cardPath, JSON.stringify(card, null, 2) + '\n');
  log(`updated ${cardPath}`);
}

try {
  if (runsFd) {
    const quality = await fdAndCoverage(clf!, train!);
    if (quality) await recordInCard({ quality });
  }
  if (runsRestoration) await recordInCard({ restorationSanity: await restoration(judgesByDistribution ? clf : null) });
} finally {
  if (clf) disposeClassifier(clf);
}
model?.dispose?.();
