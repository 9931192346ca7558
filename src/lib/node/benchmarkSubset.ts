import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labelledFromIdx, type LabelledImages } from '../data/labelledImages.js';

/** The shipped benchmark subset: 256 Fashion-MNIST test images (data/, with provenance). */
export function loadBenchmarkSubset(dataDir = 'data'): LabelledImages {
  const read = (f: string) => new Uint8Array(readFileSync(join(dataDir, f)));
  return labelledFromIdx(
    read('fashion-mnist-test-256-images-idx3-ubyte'),
    read('fashion-mnist-test-256-labels-idx1-ubyte'),
    'benchmark subset',
  );
}

