import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { labelledFromIdx, type LabelledImages } from '../data/labelledImages.js';
import { SUBSET_FILES } from '../data/shippedSubset.js';
import { DeqirError } from '../errors.js';
import { readInputFileSync } from './inputFile.js';

/** The shipped benchmark subset (data/, with provenance): 256 Fashion-MNIST test images. */
export function loadBenchmarkSubset(dataDir = 'data'): LabelledImages {
  const path = (f: string) => join(dataDir, f);
  for (const f of [SUBSET_FILES.images, SUBSET_FILES.labels])
    if (!existsSync(path(f))) throw new DeqirError('dataset', `benchmark subset file ${path(f)} not found (run scripts/makeBenchmarkSubset.ts)`);
  return labelledFromIdx(readInputFileSync(path(SUBSET_FILES.images), 'dataset'), readInputFileSync(path(SUBSET_FILES.labels), 'dataset'), 'benchmark subset');
}
