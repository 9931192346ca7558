import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DeqirError } from '../errors.js';
import { parseIdx } from './idx.js';

/** Where Debian's `dataset-fashion-mnist` package installs the IDX files. */
export const DEFAULT_FASHION_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** Images as raw bytes [n, 28, 28] (0 = background) with labels 0..9. */
export interface LabelledImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

export type Split = 'train' | 'test';

function readMaybeGz(dir: string, base: string): Uint8Array {
  for (const [name, gz] of [[`${base}.gz`, true], [base, false]] as const) {
    const path = join(dir, name);
    if (existsSync(path)) {
      const raw = readFileSync(path);
      return new Uint8Array(gz ? gunzipSync(raw) : raw);
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
  const imgs = parseIdx(readMaybeGz(dir, `${prefix}-images-idx3-ubyte`), `${prefix} images`);
  const labs = parseIdx(readMaybeGz(dir, `${prefix}-labels-idx1-ubyte`), `${prefix} labels`);
  if (imgs.shape.length !== 3 || labs.shape.length !== 1 || imgs.shape[0] !== labs.shape[0])
    throw new DeqirError('dataset', `Fashion-MNIST ${split}: image shape [${imgs.shape}] and label shape [${labs.shape}] disagree`);
  return { count: imgs.shape[0], height: imgs.shape[1], width: imgs.shape[2], pixels: imgs.data, labels: labs.data };
}

/** Bytes 0..255 -> floats in [-1, 1] (the model's pixel convention), for the given indices. */
export function toSignedUnit(images: LabelledImages, indices: readonly number[]): Float32Array {
  const n = images.height * images.width;
  const out = new Float32Array(indices.length * n);
  indices.forEach((idx, b) => {
    const src = images.pixels.subarray(idx * n, (idx + 1) * n);
    for (let i = 0; i < n; i++) out[b * n + i] = src[i] / 127.5 - 1;
  });
  return out;
}
