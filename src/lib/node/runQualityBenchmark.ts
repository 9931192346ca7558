import { labelCheck, qualityBenchmark, type CellResult, type QualityBenchmarkOptions } from '../bench/restorationBenchmark.js';
import { restorationMethods } from '../bench/restorationMethods.js';
import type { QualitySettings } from '../bench/qualitySettings.js';
import { loadBenchmarkSubset } from './benchmarkSubset.js';
import { loadClassifierFile, loadModelFile } from './loadModelFile.js';
import { fileSha256 } from './provenance.js';
import { SHIPPED_SUBSETS, type ShippedSubset } from '../data/shippedSubset.js';
import { disposeClassifier, type Classifier } from '../quality/classifier.js';
import { qualityRecipe } from '../quality/qualityRecipes.js';
import { trainingRecipe } from '../training/recipes.js';

/** The shipped subset a run restores (runs made before colour name none: Fashion-MNIST). */
const subsetOf = (settings: QualitySettings): ShippedSubset => SHIPPED_SUBSETS[settings.subset ?? 'fashion'];

/** sha256 of the inputs a run reads, keyed by the paths the settings name. */
export function qualityInputHashes(settings: QualitySettings, modelFile = settings.prior): Record<string, string> {
  const images = `data/${subsetOf(settings).images}`;
  return {
    [settings.prior]: fileSha256(modelFile),
    [settings.classifier]: fileSha256(settings.classifier),
    [images]: fileSha256(images),
  };
}

/**
 * Loads the prior, the classifier and the shipped image subset named by `settings` and runs the
 * quality benchmark (Node). Every restored image is labelled by the classifier; `cleanAccuracy` is
 * its accuracy on the clean images of the run, the ceiling for any restoration.
 * `modelFile` reads the prior's weights from another path (e.g. the committed weights extracted
 * with git show while a training run rewrites models/); hash it with qualityInputHashes. `reverse`
 * measures the cells from the last (results do not depend on the order: noise is seeded per image).
 */
export async function runQualityBenchmark(
  settings: QualitySettings,
  o: Pick<QualityBenchmarkOptions, 'done' | 'onCell' | 'onProgress' | 'onRestored'> & { modelFile?: string; reverse?: boolean } = {},
): Promise<{ cells: CellResult[]; cleanAccuracy: number }> {
  const set = loadBenchmarkSubset('data', subsetOf(settings));
  const model = await loadModelFile(o.modelFile ?? settings.prior, [set.height, set.width, set.channels]);
  let classifier: Classifier | undefined;
  try {
    classifier = await loadClassifierFile(settings.classifier, qualityRecipe(trainingRecipe(settings.subset ?? 'fashion')).classifierShape);
    const labels = await labelCheck(classifier, set, settings.images);
    const cells = await qualityBenchmark({
      model,
      set,
      images: settings.images,
      cells: o.reverse ? [...settings.cells].reverse() : settings.cells,
      methods: restorationMethods(settings.methods),
      seed: settings.seed,
      labels,
      done: o.done,
      onCell: o.onCell,
      onProgress: o.onProgress,
      onRestored: o.onRestored,
    });
    const clean = [...labels.cleanCorrect.values()];
    return { cells, cleanAccuracy: clean.reduce((a, b) => a + b, 0) / clean.length };
  } finally {
    model.dispose?.();
    if (classifier) disposeClassifier(classifier);
  }
}
