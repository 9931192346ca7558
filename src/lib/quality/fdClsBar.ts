import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { fitPixelGaussian } from '../models/pixelGaussian.js';
import { seededSubset } from '../data/seededSubset.js';
import { ParameterError } from '../errors.js';
import type { EpsModel } from '../models/epsModel.js';
import { linearSchedule } from '../schedule/linearSchedule.js';
import { ddimSample } from '../training/ddimSample.js';
import { classCoverage, type ClassCoverage } from './classCoverage.js';
import { CLASSIFIER_FEATURES, featuresOf, type Classifier } from './classifier.js';
import { checkFdSamples, FD_BAR_RATIO, FD_SAMPLE_BATCH, FD_SAMPLE_T } from './fdSamples.js';
import { frechetDistance, gaussianStats } from './frechet.js';
import { sampleDiagonalGaussian } from './naiveGaussian.js';
import { reportingEps, samplingCalls } from './samplingProgress.js';

export interface FdClsResult {
  fdCls: { model: number; trainFloor: number; naiveGaussian: number; ratioModelToNaive: number; bar: string; passes: boolean };
  samples: number;
  /** Test images the three sources are compared with (all of them when the test split has fewer than `samples`). */
  referenceImages: number;
  /** Training images of the floor. */
  floorImages: number;
  sampler: string;
  classCoverage: ClassCoverage;
  sampleSeconds: number;
}

export interface FdClsOptions {
  samples: number;
  seed: number;
  T?: number;
  batchSize?: number;
  /** Allow fewer than FD_MIN_SAMPLES samples (tests, smoke runs; such a result is never recorded). */
  allowFewSamples?: boolean;
  log?: (msg: string) => void;
  /** Each eps call of the sampling run: calls done, calls in all, seconds so far. */
  onSampling?: (done: number, total: number, seconds: number) => void;
  /**
   * Draws the model's samples, ddimSample's [count * H * W * C] for these settings (and reports
   * each eps call to `onCall`); default: ddimSample on this thread. The quality script passes
   * node/parallelSampling's worker threads, which return the same samples.
   */
  drawSamples?: (
    s: { count: number; T: number; seed: number; batchSize: number },
    onCall?: (done: number, total: number, seconds: number) => void,
  ) => Promise<Float32Array>;
}

/**
 * The quality bar's FD-cls and class coverage for any image shape: Fréchet distance on the
 * classifier's 128 features between `samples` images of a source and the test images (a seeded
 * subset of `samples`, or all when there are fewer), for DDIM samples of the model (eta = 0,
 * T = 50), training images (the floor: what a perfect sampler would score) and a diagonal Gaussian
 * fitted to all training pixels (the naive prior). Bar: FD(model) <= FD_BAR_RATIO (0.2) FD(naive). Coverage: the
 * classifier's labels of the model samples (classCoverage.ts).
 */
export async function fdClsBar(
  model: EpsModel,
  clf: Classifier,
  classNames: readonly string[],
  train: LabelledImages,
  test: LabelledImages,
  o: FdClsOptions,
): Promise<FdClsResult> {
  const N = o.samples;
  checkFdSamples(N, o.allowFewSamples);
  const want = model.imageShape.join(', ');
  const shapes = {
    'training images': [train.height, train.width, train.channels],
    'test images': [test.height, test.width, test.channels],
    classifier: clf.shape.imageShape,
  };
  for (const [what, s] of Object.entries(shapes))
    if (s.join(', ') !== want) throw new ParameterError(`FD-cls: ${what} are [${s.join(', ')}], not the model's [${want}]`, 'imageShape');
  if (classNames.length !== clf.shape.classes)
    throw new ParameterError(`FD-cls: ${classNames.length} class names for a classifier of ${clf.shape.classes} classes`, 'classes');
  const T = o.T ?? FD_SAMPLE_T;
  const batchSize = o.batchSize ?? FD_SAMPLE_BATCH;
  const log = o.log ?? (() => {});
  const statsOf = async (images: Float32Array, n: number) => {
    const f = await featuresOf(clf, images, n);
    return { stats: gaussianStats(f.features, n, CLASSIFIER_FEATURES), predicted: f.predicted };
  };
  const refIdx = seededSubset(test.count, Math.min(N, test.count), o.seed);
  const floorIdx = seededSubset(train.count, Math.min(N, train.count), o.seed + 1);
  const ref = await statsOf(toSignedUnit(test, refIdx), refIdx.length);
  const floor = await statsOf(toSignedUnit(train, floorIdx), floorIdx.length);
  const allTrain = Array.from({ length: train.count }, (_, i) => i);
  const naive = await statsOf(sampleDiagonalGaussian(fitPixelGaussian(toSignedUnit(train, allTrain), train.count), N, o.seed + 2), N);
  log(
    `reference (${refIdx.length} test images), floor (${floorIdx.length} training images) and naive Gaussian features done; sampling the model`,
  );

  const ts = performance.now();
  const settings = { count: N, T, seed: o.seed + 3, batchSize };
  const sampleData = await (o.drawSamples ?? drawOnThisThread(model))(settings, o.onSampling);
  const [h, w, c] = model.imageShape;
  if (sampleData.length !== N * h * w * c)
    throw new ParameterError(
      `FD-cls: the sampler returned ${sampleData.length} values, not ${N} images of [${h}, ${w}, ${c}]`,
      'drawSamples',
    );
  const sampleSeconds = (performance.now() - ts) / 1000;
  log(`${N} DDIM samples in ${sampleSeconds.toFixed(0)} s`);
  const mod = await statsOf(sampleData, N);

  const fd = {
    model: frechetDistance(mod.stats, ref.stats),
    trainFloor: frechetDistance(floor.stats, ref.stats),
    naiveGaussian: frechetDistance(naive.stats, ref.stats),
  };
  return {
    fdCls: {
      ...fd,
      ratioModelToNaive: fd.model / fd.naiveGaussian,
      bar: `FD(model) <= ${FD_BAR_RATIO} FD(naive)`,
      passes: fd.model <= FD_BAR_RATIO * fd.naiveGaussian,
    },
    samples: N,
    referenceImages: refIdx.length,
    floorImages: floorIdx.length,
    sampler: `DDIM eta = 0, T = ${T} uniform`,
    classCoverage: classCoverage(mod.predicted, classNames, train.labels, { referencePredicted: ref.predicted }),
    sampleSeconds: Math.round(sampleSeconds),
  };
}

/** fdClsBar's default sampler: ddimSample with the linear schedule on this thread. */
function drawOnThisThread(model: EpsModel): NonNullable<FdClsOptions['drawSamples']> {
  return async (s, onCall) => {
    const sampler = onCall ? reportingEps(model, samplingCalls(s.count, s.T, s.batchSize), onCall) : model;
    const samples = ddimSample(sampler, linearSchedule(), s);
    try {
      return (await samples.data()) as Float32Array;
    } finally {
      samples.dispose();
    }
  };
}
