import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DeqirError } from '../errors.js';
import { readInputFileSync } from './inputFile.js';
import { INPUT_FILE_MAX_BYTES } from '../bounds.js';
import { labelledFromIdx, type LabelledImages } from '../data/labelledImages.js';

export type { LabelledImages } from '../data/labelledImages.js';

/** Where Debian's `dataset-fashion-mnist` package installs the IDX files. */
export const DEFAULT_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export { FASHION_CLASSES } from '../data/labelledImages.js';

export type Split = 'train' | 'test';

function readMaybeGz(dir: string, base: string): Uint8Array {
  for (const [name, gz] of [
    [`${base}.gz`, true],
    [base, false],
  ] as const) {
    const path = join(dir, name);
    if (existsSync(path)) {
      const raw = readInputFileSync(path, 'dataset');
      if (!gz) return raw;
      try {
        return new Uint8Array(gunzipSync(raw, { maxOutputLength: INPUT_FILE_MAX_BYTES.dataset }));
      } catch (e) {
        throw new DeqirError(
          'dataset',
          `${path} does not unzip to an IDX file of at most ${INPUT_FILE_MAX_BYTES.dataset} bytes (${(e as Error).message})`,
        );
      }
    }
  }
  throw new DeqirError(
    'dataset',
    `Fashion-MNIST file ${base}(.gz) not found in ${dir}. Install it with ` +
      '`apt-get install dataset-fashion-mnist` (files go to /usr/share/datasets/fashion-mnist/) ' +
      'or pass `--data DIR` pointing at a folder with the four IDX files.',
  );
}

/** Loads a split from IDX files (gzipped or not). Node only (reads the file system). */
export function loadFashionMnist(split: Split, dir = DEFAULT_FASHION_DIR): LabelledImages {
  const prefix = split === 'train' ? 'train' : 't10k';
  return labelledFromIdx(
    readMaybeGz(dir, `${prefix}-images-idx3-ubyte`),
    readMaybeGz(dir, `${prefix}-labels-idx1-ubyte`),
    `Fashion-MNIST ${split}`,
  );
}
