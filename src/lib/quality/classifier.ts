import * as tf from '@tensorflow/tfjs-core';
import { releasingTapeOnFailure } from '../tensors/releasingTapeOnFailure.js';
import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { ParameterError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import { conv2dSame, dense } from '../models/unet/fastGrads.js';
import type { Params } from '../models/unet/params.js';
import { childSeed, gaussianArray, uniformStream } from '../random/prng.js';
import { adamUpdate, createAdamState } from '../optim/adam.js';

/**
 * The small CNN behind the quality bar (FD-cls, class coverage) for any image shape and number of
 * classes: conv32-pool-conv64-pool-dense128-dense(classes) with ReLU, 2x2 average pools.
 * `features` are the 128 penultimate activations, so FD-cls has the same dimension for every data
 * set. Uses the same fast-gradient convs as the UNet, so it trains quickly on wasm.
 */
export interface ClassifierShape {
  /** [H, W, C] of the images; H and W divisible by 4 (two 2x2 pools). */
  readonly imageShape: ImageShape;
  readonly classes: number;
}

/** A classifier's parameters with the shape they were built for. */
export interface Classifier {
  readonly shape: ClassifierShape;
  readonly params: Params;
}

/** Width of the feature vector FD-cls is computed on. */
export const CLASSIFIER_FEATURES = 128;

/** The Fashion-MNIST classifier (models/fashion-classifier.safetensors). */
export const FASHION_CLASSIFIER_SHAPE: ClassifierShape = { imageShape: [28, 28, 1], classes: 10 };

export const CLASSIFIER_ARCHITECTURE = 'conv32-pool-conv64-pool-fc128-fc(classes) (ReLU, 2x2 average pools)';

/** The one definition of the parameter tensors: names, shapes and He-init fan-in, from the shape. */
export function classifierSpecs(s: ClassifierShape): { name: string; shape: number[]; fanIn: number }[] {
  checkClassifierShape(s);
  const [H, W, C] = s.imageShape;
  const flat = (H / 4) * (W / 4) * 64;
  return [
    { name: 'conv1.w', shape: [3, 3, C, 32], fanIn: 9 * C },
    { name: 'conv1.b', shape: [32], fanIn: 0 },
    { name: 'conv2.w', shape: [3, 3, 32, 64], fanIn: 288 },
    { name: 'conv2.b', shape: [64], fanIn: 0 },
    { name: 'fc1.w', shape: [flat, CLASSIFIER_FEATURES], fanIn: flat },
    { name: 'fc1.b', shape: [CLASSIFIER_FEATURES], fanIn: 0 },
    { name: 'fc2.w', shape: [CLASSIFIER_FEATURES, s.classes], fanIn: CLASSIFIER_FEATURES },
    { name: 'fc2.b', shape: [s.classes], fanIn: 0 },
  ];
}

function checkClassifierShape(s: ClassifierShape): void {
  const [H, W, C] = s.imageShape;
  const ok = (v: number) => Number.isInteger(v) && v > 0;
  if (s.imageShape.length !== 3 || !ok(H) || !ok(W) || !ok(C) || H % 4 || W % 4)
    throw new ParameterError(
      `classifier imageShape [${s.imageShape.join(', ')}]: need [H, W, C] with H and W positive multiples of 4`,
      'imageShape',
    );
  if (!Number.isInteger(s.classes) || s.classes < 2)
    throw new ParameterError(`classifier classes ${s.classes}: need an integer >= 2`, 'classes');
}

export function initClassifier(shape: ClassifierShape, seed: number): Classifier {
  const params: Params = {};
  classifierSpecs(shape).forEach((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const data = s.fanIn ? gaussianArray(n, childSeed(seed, i)).map((v) => v * Math.sqrt(2 / s.fanIn)) : new Float32Array(n);
    params[s.name] = tf.tensor(data, s.shape);
  });
  return { shape, params };
}

export function disposeClassifier(c: Classifier): void {
  tf.dispose(Object.values(c.params));
}

/** x [B,H,W,C] in [-1,1] -> { logits [B,classes], features [B,128] }. */
export function classify(c: Classifier, x: tf.Tensor4D, params: Params = c.params): { logits: tf.Tensor2D; features: tf.Tensor2D } {
  const [H, W] = c.shape.imageShape;
  const h1 = tf.avgPool(tf.relu(conv2dSame(x, params['conv1.w'] as tf.Tensor4D, params['conv1.b'] as tf.Tensor1D)), 2, 2, 'valid');
  const h2 = tf.avgPool(tf.relu(conv2dSame(h1, params['conv2.w'] as tf.Tensor4D, params['conv2.b'] as tf.Tensor1D)), 2, 2, 'valid');
  const flat = tf.reshape(h2, [x.shape[0], (H / 4) * (W / 4) * 64]) as tf.Tensor2D;
  const features = tf.relu(dense(flat, params['fc1.w'] as tf.Tensor2D, params['fc1.b'] as tf.Tensor1D));
  return { logits: dense(features, params['fc2.w'] as tf.Tensor2D, params['fc2.b'] as tf.Tensor1D), features };
}

export interface ClassifierTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Mirror each training image left-right with probability 1/2 (seeded per epoch). */
  hflip?: boolean;
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

/** Cross-entropy training with Adam on a labelled set; shuffles with the seeded PRNG. */
export function trainClassifier(set: LabelledImages, shape: ClassifierShape, o: ClassifierTrainOptions): Classifier {
  const [H, W, C] = shape.imageShape;
  if (set.height !== H || set.width !== W || set.channels !== C)
    throw new ParameterError(
      `training images are [${set.height}, ${set.width}, ${set.channels}], the classifier wants [${shape.imageShape.join(', ')}]`,
      'imageShape',
    );
  const bad = set.labels.findIndex((l) => l >= shape.classes);
  if (bad >= 0) throw new ParameterError(`training image ${bad} has label ${set.labels[bad]}, beyond ${shape.classes} classes`, 'classes');
  const clf = initClassifier(shape, o.seed);
  const p = clf.params;
  const adam = createAdamState(p);
  const names = Object.keys(p);
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const order = Array.from({ length: set.count }, (_, i) => i);
      const rnd = uniformStream(childSeed(o.seed, 1000 + epoch));
      for (let i = set.count - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      // A separate stream, so turning flips on does not change the shuffle.
      const flipRnd = uniformStream(childSeed(o.seed, 2000 + epoch));
      let lossSum = 0;
      let batches = 0;
      for (let s = 0; s + o.batchSize <= set.count; s += o.batchSize) {
        const idx = order.slice(s, s + o.batchSize);
        const pixels = toSignedUnit(set, idx);
        if (o.hflip) idx.forEach((_, b) => flipRnd() < 0.5 && mirrorInPlace(pixels.subarray(b * H * W * C, (b + 1) * H * W * C), H, W, C));
        // One tidy frees the batch (and, with the tape, what a failing step saved) whatever happens.
        const { value, grads } = tf.tidy(() => {
          const x = tf.tensor4d(pixels, [idx.length, H, W, C]);
          const y = tf.oneHot(
            tf.tensor1d(
              idx.map((i) => set.labels[i]),
              'int32',
            ),
            shape.classes,
          );
          return releasingTapeOnFailure(() =>
            tf.valueAndGrads((...ts: tf.Tensor[]) => {
              const q: Params = {};
              names.forEach((n, k) => (q[n] = ts[k]));
              return tf.losses.softmaxCrossEntropy(y, classify(clf, x, q).logits) as tf.Scalar;
            })(names.map((n) => p[n])),
          );
        });
        try {
          lossSum += value.dataSync()[0];
          batches++;
          const g: Params = {};
          names.forEach((n, k) => (g[n] = grads[k]));
          adamUpdate(p, g, adam, { lr: o.lr });
        } finally {
          tf.dispose([value, ...grads]);
        }
      }
      o.onEpoch?.(epoch, lossSum / batches);
    }
  } catch (e) {
    disposeClassifier(clf);
    throw e;
  } finally {
    tf.dispose([...Object.values(adam.m), ...Object.values(adam.v)]);
  }
  return clf;
}

/** Mirrors one image [H, W, C] left-right in place. */
function mirrorInPlace(img: Float32Array, H: number, W: number, C: number): void {
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W / 2; x++)
      for (let c = 0; c < C; c++) {
        const a = (y * W + x) * C + c;
        const b = (y * W + W - 1 - x) * C + c;
        [img[a], img[b]] = [img[b], img[a]];
      }
}

/** Features and predicted classes of n images in [-1,1] (n x H x W x C floats), in chunks. */
export async function featuresOf(
  c: Classifier,
  images: Float32Array,
  n: number,
  chunk = 250,
): Promise<{ features: Float32Array; predicted: Int32Array }> {
  const [H, W, C] = c.shape.imageShape;
  const px = H * W * C;
  if (images.length !== n * px)
    throw new ParameterError(`featuresOf: ${images.length} values are not ${n} images of [${H}, ${W}, ${C}]`, 'images');
  const features = new Float32Array(n * CLASSIFIER_FEATURES);
  const predicted = new Int32Array(n);
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const [f, k] = tf.tidy(() => {
      const r = classify(c, tf.tensor4d(images.subarray(s * px, (s + m) * px), [m, H, W, C]));
      return [r.features, tf.argMax(r.logits, 1)];
    });
    features.set((await f.data()) as Float32Array, s * CLASSIFIER_FEATURES);
    predicted.set((await k.data()) as Int32Array, s);
    tf.dispose([f, k]);
  }
  return { features, predicted };
}
