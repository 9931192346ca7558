import * as tf from '@tensorflow/tfjs-core';
import { conv2dSame, dense } from '../models/unet/fastGrads.js';
import type { Params } from '../models/unet/params.js';
import { childSeed, gaussianArray, uniformStream } from '../random/prng.js';
import { adamUpdate, createAdamState } from '../training/adam.js';

/**
 * The small CNN behind the quality bar (FD-cls, class coverage): conv32-pool-conv64-pool-
 * dense128-dense10 with ReLU. `features` are the 128 penultimate activations.
 * Uses the same fast-gradient convs as the UNet, so it trains quickly on wasm.
 */
export const CLASSIFIER_SPECS: { name: string; shape: number[]; fanIn: number }[] = [
  { name: 'conv1.w', shape: [3, 3, 1, 32], fanIn: 9 },
  { name: 'conv1.b', shape: [32], fanIn: 0 },
  { name: 'conv2.w', shape: [3, 3, 32, 64], fanIn: 288 },
  { name: 'conv2.b', shape: [64], fanIn: 0 },
  { name: 'fc1.w', shape: [7 * 7 * 64, 128], fanIn: 3136 },
  { name: 'fc1.b', shape: [128], fanIn: 0 },
  { name: 'fc2.w', shape: [128, 10], fanIn: 128 },
  { name: 'fc2.b', shape: [10], fanIn: 0 },
];

export function initClassifier(seed: number): Params {
  const p: Params = {};
  CLASSIFIER_SPECS.forEach((s, i) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const data = s.fanIn ? gaussianArray(n, childSeed(seed, i)).map((v) => v * Math.sqrt(2 / s.fanIn)) : new Float32Array(n);
    p[s.name] = tf.tensor(data, s.shape);
  });
  return p;
}

/** x [B,28,28,1] in [-1,1] -> { logits [B,10], features [B,128] }. */
export function classify(p: Params, x: tf.Tensor4D): { logits: tf.Tensor2D; features: tf.Tensor2D } {
  const h1 = tf.avgPool(tf.relu(conv2dSame(x, p['conv1.w'] as tf.Tensor4D, p['conv1.b'] as tf.Tensor1D)), 2, 2, 'valid');
  const h2 = tf.avgPool(tf.relu(conv2dSame(h1, p['conv2.w'] as tf.Tensor4D, p['conv2.b'] as tf.Tensor1D)), 2, 2, 'valid');
  const flat = tf.reshape(h2, [x.shape[0], 7 * 7 * 64]) as tf.Tensor2D;
  const features = tf.relu(dense(flat, p['fc1.w'] as tf.Tensor2D, p['fc1.b'] as tf.Tensor1D));
  return { logits: dense(features, p['fc2.w'] as tf.Tensor2D, p['fc2.b'] as tf.Tensor1D), features };
}

export interface ClassifierTrainOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

/** Cross-entropy training with Adam on uint8 images [n, 784]; shuffles with the seeded PRNG. */
export function trainClassifier(pixels: Uint8Array, labels: Uint8Array, count: number, o: ClassifierTrainOptions): Params {
  const p = initClassifier(o.seed);
  const adam = createAdamState(p);
  const names = Object.keys(p);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = Array.from({ length: count }, (_, i) => i);
    const rnd = uniformStream(childSeed(o.seed, 1000 + epoch));
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s + o.batchSize <= count; s += o.batchSize) {
      const idx = order.slice(s, s + o.batchSize);
      const x = tf.tensor4d(batchPixels(pixels, idx), [idx.length, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(idx.map((i) => labels[i]), 'int32'), 10);
      const { value, grads } = tf.valueAndGrads((...ts: tf.Tensor[]) => {
        const q: Params = {};
        names.forEach((n, k) => (q[n] = ts[k]));
        return tf.losses.softmaxCrossEntropy(y, classify(q, x).logits) as tf.Scalar;
      })(names.map((n) => p[n]));
      lossSum += value.dataSync()[0];
      batches++;
      const g: Params = {};
      names.forEach((n, k) => (g[n] = grads[k]));
      adamUpdate(p, g, adam, { lr: o.lr });
      tf.dispose([x, y, value, ...grads]);
    }
    o.onEpoch?.(epoch, lossSum / batches);
  }
  tf.dispose([...Object.values(adam.m), ...Object.values(adam.v)]);
  return p;
}

export function batchPixels(pixels: Uint8Array, idx: readonly number[]): Float32Array {
  const out = new Float32Array(idx.length * 784);
  idx.forEach((i, b) => {
    for (let j = 0; j < 784; j++) out[b * 784 + j] = pixels[i * 784 + j] / 127.5 - 1;
  });
  return out;
}

/** Features and predicted classes of images in [-1,1] ([n*784] floats), in chunks. */
export async function featuresOf(p: Params, images: Float32Array, n: number, chunk = 250): Promise<{ features: Float32Array; predicted: Int32Array }> {
  const features = new Float32Array(n * 128);
  const predicted = new Int32Array(n);
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const [f, c] = tf.tidy(() => {
      const r = classify(p, tf.tensor4d(images.subarray(s * 784, (s + m) * 784), [m, 28, 28, 1]));
      return [r.features, tf.argMax(r.logits, 1)];
    });
    features.set((await f.data()) as Float32Array, s * 128);
    predicted.set((await c.data()) as Int32Array, s);
    tf.dispose([f, c]);
  }
  return { features, predicted };
}
