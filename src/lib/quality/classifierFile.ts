import * as tf from '@tensorflow/tfjs-core';
import { DeqirError } from '../errors.js';
import { checkTensorSet, decodeWeights, encodeWeights } from '../models/weights/safetensors.js';
import { classifierSpecs, type Classifier, type ClassifierShape } from './classifier.js';

/**
 * A classifier's weight file (deqir-weights, safetensors-compatible; browser-safe, bytes in and
 * out). Files written now carry `imageShape` and `classes` in their metadata; the Fashion file
 * written before the classifier was generic has neither, so the shape the caller expects is
 * checked against every tensor's shape instead (the tensors alone cannot tell 32x16 from 16x32).
 */
export async function encodeClassifier(c: Classifier, metadata: Record<string, string>): Promise<Uint8Array> {
  const arrays = await Promise.all(
    classifierSpecs(c.shape).map(async (s) => ({ name: s.name, shape: s.shape, data: (await c.params[s.name].data()) as Float32Array })),
  );
  return encodeWeights(arrays, { ...metadata, imageShape: JSON.stringify(c.shape.imageShape), classes: String(c.shape.classes) });
}

export async function decodeClassifier(bytes: Uint8Array, shape: ClassifierShape, what: string): Promise<Classifier> {
  const { tensors, metadata } = await decodeWeights(bytes).catch((e: unknown) => {
    if (e instanceof DeqirError) throw new DeqirError(e.code, `${what}: ${e.message}`);
    throw e;
  });
  if (metadata.imageShape !== undefined && metadata.imageShape !== JSON.stringify(shape.imageShape))
    throw new DeqirError(
      'model-file',
      `${what}: classifier for images ${metadata.imageShape}, the model's images are [${shape.imageShape.join(',')}]`,
    );
  if (metadata.classes !== undefined && metadata.classes !== String(shape.classes))
    throw new DeqirError('model-file', `${what}: classifier of ${metadata.classes} classes, the data set has ${shape.classes}`);
  const specs = classifierSpecs(shape);
  try {
    checkTensorSet(tensors, specs);
  } catch (e) {
    throw new DeqirError(
      'model-file',
      `${what}: ${(e as Error).message} (a classifier for [${shape.imageShape.join(', ')}] images and ${shape.classes} classes)`,
    );
  }
  return { shape, params: Object.fromEntries(specs.map((s) => [s.name, tf.tensor(tensors.get(s.name)!.data, s.shape)])) };
}
