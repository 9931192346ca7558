import { readFile } from 'node:fs/promises';
import { DeqirError } from '../errors.js';
import type { EpsModel, ImageShape } from '../models/epsModel.js';
import { decodeUNet } from '../models/weights/unetWeights.js';

/** Loads a UNet weight file (deqir-weights, safetensors-compatible) and checks its image shape. */
export async function loadModelFile(path: string, imageShape?: ImageShape): Promise<EpsModel> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new DeqirError('model-file', `cannot read model file ${path}: ${e.code ?? e.message}`);
  });
  const { model } = await decodeUNet(new Uint8Array(bytes), { name: path });
  if (imageShape && model.imageShape.join() !== imageShape.join()) {
    model.dispose();
    throw new DeqirError('model-file', `model ${path} works on images [${model.imageShape.join(', ')}], the problem has [${imageShape.join(', ')}]`);
  }
  return model;
}
