import { DeqirError } from '../errors.js';
import type { EpsModel } from '../models/epsModel.js';
import type { ImageShape } from '../image/imageShape.js';
import type { Params } from '../models/unet/params.js';
import { decodeWeights } from '../models/weights/safetensors.js';
import { decodeUNet } from '../models/weights/unetWeights.js';
import { CLASSIFIER_SPECS } from '../quality/classifier.js';
import * as tf from '@tensorflow/tfjs-core';
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
    throw new DeqirError('model-file', `model ${path} works on images [${model.imageShape.join(', ')}], the problem has [${imageShape.join(', ')}]`);
  }
  return model;
}

/** Loads the quality bar's classifier (models/fashion-classifier.safetensors, written by scripts/quality.ts). */
export async function loadClassifierFile(path: string): Promise<Params> {
  const bytes = await readInputFile(path, 'classifier').catch((e: DeqirError) => {
    throw new DeqirError(e.code, `${e.message} (train it with npm run quality -- --classifier-only)`);
  });
  const { tensors } = await decodeWeights(bytes);
  return Object.fromEntries(
    CLASSIFIER_SPECS.map((s) => {
      const t = tensors.get(s.name);
      if (!t) throw new DeqirError('model-file', `classifier file ${path} has no tensor '${s.name}'`);
      return [s.name, tf.tensor(t.data, s.shape)];
    }),
  );
}
