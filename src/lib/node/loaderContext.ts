/**
 * Shared set-up of the site's data loaders (Node, build time): the wasm backend, the shipped images
 * and priors, exactly as the worker sees them in the browser. Never bundled into the browser.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../backend/nodeBackend.js';
import { toSignedUnit, type LabelledImages } from '../data/labelledImages.js';
import { PRIOR_FIT_IMAGES } from '../data/shippedSubset.js';
import { SITE_PRIORS, type SiteDataset } from '../site/sitePriors.js';
import { loadBenchmarkSubset } from './benchmarkSubset.js';
import { readInputFile } from './inputFile.js';
import type { PriorChoice } from '../site/jobSettings.js';
import { fitPixelGaussian, PRIOR_VARIANCE_FLOOR } from '../models/pixelGaussian.js';
import { loadPrior, type LoadedPrior } from '../site/worker/loadPrior.js';

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface LoaderContext {
  backend: string;
  /** The dataset's shipped subset (labels for captions). */
  set: LabelledImages;
  images: (index: number) => Float32Array;
  prior: LoadedPrior;
  /** How numbers made here were measured, for the pages to print. */
  measuredOn: string;
}

/** `dataset`: which of the site's priors (sitePriors.ts), with its shipped subset and weight file. */
export async function loaderContext(choice: PriorChoice = 'auto', dataset: SiteDataset = 'fashion'): Promise<LoaderContext> {
  const backend = await useNodeBackend('wasm');
  const { subset, weights } = SITE_PRIORS[dataset];
  const set = loadBenchmarkSubset(join(REPO_ROOT, 'data'), subset);
  const gaussian = async () => fitPixelGaussian(toSignedUnit(set, PRIOR_FIT_IMAGES), PRIOR_FIT_IMAGES.length, PRIOR_VARIANCE_FLOOR);
  const unetBytes = () => readInputFile(join(REPO_ROOT, 'models', weights), 'model');
  const prior = await loadPrior(choice, { unetBytes, gaussian }, dataset);
  return {
    backend,
    set,
    images: (i) => toSignedUnit(set, [i]),
    prior,
    measuredOn: `Node ${process.version}, TF.js ${tf.version_core} ${backend} backend, on the machine that built this site`,
  };
}
