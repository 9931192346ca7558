import { fdReference, qualityBenchmark, type CellResult, type QualityBenchmarkOptions } from '../bench/restorationBenchmark.js';
import { restorationMethods } from '../bench/restorationMethods.js';
import type { QualitySettings } from '../bench/qualitySettings.js';
import { loadBenchmarkSubset } from './benchmarkSubset.js';
import { loadClassifierFile, loadModelFile } from './loadModelFile.js';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Loads the prior, the classifier and the shipped image subset named by `settings` and runs the
 * quality benchmark (Node). FD-cls compares each restored set with all 256 subset images.
 */
export async function runQualityBenchmark(
  settings: QualitySettings,
  o: Pick<QualityBenchmarkOptions, 'done' | 'onCell' | 'onProgress'> = {},
): Promise<{ cells: CellResult[]; fd: { floor: number; referenceImages: number } }> {
  const set = loadBenchmarkSubset();
  const model = await loadModelFile(settings.prior, [set.height, set.width, 1]);
  const classifier = await loadClassifierFile(settings.classifier);
  try {
    const fd = await fdReference(classifier, set, Array.from({ length: set.count }, (_, i) => i), settings.images);
    const cells = await qualityBenchmark({
      model, set, images: settings.images, cells: settings.cells, methods: restorationMethods(settings.methods), seed: settings.seed, fd, ...o,
    });
    return { cells, fd: { floor: fd.floor, referenceImages: fd.referenceImages } };
  } finally {
    model.dispose?.();
    tf.dispose(Object.values(classifier));
  }
}
