import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LabelledImages } from '../data/labelledImages.js';
import { FASHION_SUBSET, subsetFromIdx, type ShippedSubset } from '../data/shippedSubset.js';
import { DeqirError } from '../errors.js';
import { INPUT_FILE_MAX_BYTES } from '../bounds.js';
import { gunzipDataset } from './emojiSource.js';
import { readInputFileSync } from './inputFile.js';

/**
 * A shipped benchmark subset (data/, with provenance): by default the 256 Fashion-MNIST test
 * images; EMOJI_SUBSET gives the 256 colour emoji test images ([256, 32, 32, 3]).
 */
export function loadBenchmarkSubset(dataDir = 'data', subset: ShippedSubset = FASHION_SUBSET): LabelledImages {
  const path = (f: string) => join(dataDir, f);
  for (const f of [subset.images, subset.labels])
    if (!existsSync(path(f)))
      throw new DeqirError(
        'dataset',
        `benchmark subset file ${path(f)} not found (run ${subset === FASHION_SUBSET ? 'scripts/makeBenchmarkSubset.ts' : 'scripts/makeEmojiData.ts --subset'})`,
      );
  const raw = readInputFileSync(path(subset.images), 'dataset');
  const images = subset.images.endsWith('.gz') ? gunzipDataset(raw, path(subset.images), INPUT_FILE_MAX_BYTES.dataset) : raw;
  return subsetFromIdx(subset, images, readInputFileSync(path(subset.labels), 'dataset'));
}
