import { DeqirError } from '../errors.js';
import type { EpsModel } from '../models/epsModel.js';
import type { ImageShape } from '../image/imageShape.js';
import { decodeUNet } from '../models/weights/unetWeights.js';
import { FASHION_CLASSIFIER_SHAPE, type Classifier, type ClassifierShape } from '../quality/classifier.js';
import { decodeClassifier } from '../quality/classifierFile.js';
import { readInputFile } from './inputFile.js';

/** Loads a UNet weight file (deqir-weights, safetensors-compatible) and checks its image shape. */
export async function loadModelFile(path: string, imageShape?: ImageShape): Promise<EpsModel> {
  const bytes = await readInputFile(path, 'model');
  const { model } = await decodeUNet(bytes, { name: path }).catch((e: unknown) => {
    // Say which file: the decoder knows only bytes.
    if (e instanceof DeqirError) throw new DeqirError(e.code, `${path}: ${e.message}`);
    throw e;
  });
  if (imageShape && model.imageShape.join() !== imageShape.join()) {
    model.dispose();
    throw new DeqirError(
      'model-file',
      `model ${path} works on images [${model.imageShape.join(', ')}], the problem has [${imageShape.join(', ')}]`,
    );
  }
  return model;
}

/**
 * Loads a quality-bar classifier (models/<data set>-classifier.safetensors, written by
 * scripts/quality.ts) for images and classes of `shape` (default: the Fashion-MNIST one).
 */
export async function loadClassifierFile(path: string, shape: ClassifierShape = FASHION_CLASSIFIER_SHAPE): Promise<Classifier> {
  const bytes = await readInputFile(path, 'classifier').catch((e: DeqirError) => {
    throw new DeqirError(e.code, `${e.message} (train it with npm run quality -- --classifier-only)`);
  });
  return decodeClassifier(bytes, shape, `classifier file ${path}`);
}
