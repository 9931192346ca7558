/**
 * Shared set-up of the site's data loaders (Node, build time): the wasm backend, the shipped images
 * and priors, exactly as the worker sees them in the browser. Never bundled into the browser.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../backend/nodeBackend.js';
import { labelledFromIdx, toSignedUnit } from '../data/labelledImages.js';
import type { PriorChoice } from '../site/jobSettings.js';
import { gaussianStats } from '../data/pixelGaussian.js';
import { loadPrior, type LoadedPrior } from '../site/worker/loadPrior.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Images 128..255 of the benchmark subset fit the Gaussian prior; the pickers show images from 0..127. */
export const PRIOR_FIT_RANGE = [128, 256] as const;

export interface LoaderContext {
  backend: string;
  images: (index: number) => Float32Array;
  prior: LoadedPrior;
  /** How numbers made here were measured, for the pages to print. */
  measuredOn: string;
}

export async function loaderContext(choice: PriorChoice = 'auto'): Promise<LoaderContext> {
  const backend = await useNodeBackend('wasm');
  const read = (f: string) => readFile(join(REPO_ROOT, f)).then((b) => new Uint8Array(b));
  const set = labelledFromIdx(
    await read('data/fashion-mnist-test-256-images-idx3-ubyte'),
    await read('data/fashion-mnist-test-256-labels-idx1-ubyte'),
    'benchmark subset',
  );
  const fitIdx = Array.from({ length: PRIOR_FIT_RANGE[1] - PRIOR_FIT_RANGE[0] }, (_, i) => PRIOR_FIT_RANGE[0] + i);
  const gaussian = gaussianStats(toSignedUnit(set, fitIdx), fitIdx.length);
  const prior = await loadPrior(choice, { unetBytes: () => read('models/fashion-unet-small.safetensors'), gaussian });
  return {
    backend,
    images: (i) => toSignedUnit(set, [i]),
    prior,
    measuredOn: `Node ${process.version}, TF.js ${tf.version_core} ${backend} backend, on the machine that built this site`,
  };
}
