import { DeqirError } from '../errors.js';
import { parseIdx } from './idx.js';

/** Fashion-MNIST label names, index = label. */
export const FASHION_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/**
 * Images as raw bytes [count, height, width, channels] (channels last; 1 = grey, where 0 is the
 * background, 3 = RGB) with their class labels.
 */
export interface LabelledImages {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/**
 * Pairs an IDX image file, [N, H, W] (grey) or [N, H, W, C] (channels last), with its IDX label
 * file [N] (browser-safe: bytes in, no I/O).
 */
export function labelledFromIdx(imageBytes: Uint8Array, labelBytes: Uint8Array, what = 'dataset'): LabelledImages {
  const imgs = parseIdx(imageBytes, `${what} images`);
  const labs = parseIdx(labelBytes, `${what} labels`);
  if ((imgs.shape.length !== 3 && imgs.shape.length !== 4) || labs.shape.length !== 1 || imgs.shape[0] !== labs.shape[0])
    throw new DeqirError('dataset', `${what}: image shape [${imgs.shape}] and label shape [${labs.shape}] disagree`);
  const channels = imgs.shape.length === 4 ? imgs.shape[3] : 1;
  return { count: imgs.shape[0], height: imgs.shape[1], width: imgs.shape[2], channels, pixels: imgs.data, labels: labs.data };
}

/** Bytes 0..255 -> floats in [-1, 1] (the model's pixel convention), for the given indices. */
export function toSignedUnit(images: LabelledImages, indices: readonly number[]): Float32Array {
  const n = images.height * images.width * images.channels;
  const out = new Float32Array(indices.length * n);
  indices.forEach((idx, b) => {
    const src = images.pixels.subarray(idx * n, (idx + 1) * n);
    for (let i = 0; i < n; i++) out[b * n + i] = src[i] / 127.5 - 1;
  });
  return out;
}
