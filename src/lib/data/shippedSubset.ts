import { EMOJI_CATEGORIES, EMOJI_SHAPE } from './emoji.js';
import { FASHION_CLASSES, labelledFromIdx, type LabelledImages } from './labelledImages.js';
import { DeqirError } from '../errors.js';

/**
 * The image subsets shipped in data/, each with a provenance file: 256 Fashion-MNIST test images
 * (scripts/makeBenchmarkSubset.ts) and 256 colour emoji test images (scripts/makeEmojiData.ts).
 * Browser-safe: names, shapes and index ranges, and a check of loaded bytes; no file I/O.
 */
export const SUBSET_FILES = {
  images: 'fashion-mnist-test-256-images-idx3-ubyte',
  labels: 'fashion-mnist-test-256-labels-idx1-ubyte',
  provenance: 'fashion-mnist-test-256.provenance.json',
} as const;

const SUBSET_SIZE = 256;

/** Images the site's pickers offer (0..127); the other half fits the Gaussian prior, so it never sees them. */
export const PICKER_IMAGES = 128;

/** Indices 128..255: the images the site's diagonal Gaussian prior is fitted to. */
export const PRIOR_FIT_IMAGES: readonly number[] = Array.from({ length: SUBSET_SIZE - PICKER_IMAGES }, (_, i) => PICKER_IMAGES + i);

/** One shipped subset: files relative to data/ (a .gz name is a gzip-compressed IDX file), its shape and class names. */
export interface ShippedSubset {
  readonly name: string;
  readonly images: string;
  readonly labels: string;
  readonly provenance: string;
  readonly count: number;
  /** [height, width, channels] of one image. */
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
}

/** The grey subset (the default everywhere). */
export const FASHION_SUBSET: ShippedSubset = { name: 'Fashion-MNIST', ...SUBSET_FILES, count: SUBSET_SIZE, shape: [28, 28, 1], classNames: FASHION_CLASSES };

/**
 * The colour subset: 128 test-split emoji, each as its Twemoji image then its Noto image; images
 * 0..127 and 128..255 hold different emoji (alternate emoji in sort order), so the PICKER_IMAGES /
 * PRIOR_FIT_IMAGES halves never share an emoji. Images are gzipped (262 KB instead of 786 KB).
 */
export const EMOJI_SUBSET: ShippedSubset = {
  name: 'Emoji 32x32 RGB',
  images: 'emoji/emoji32-test-256-images-idx4-ubyte.gz',
  labels: 'emoji/emoji32-test-256-labels-idx1-ubyte',
  provenance: 'emoji/emoji32-test-256.provenance.json',
  count: 256,
  shape: EMOJI_SHAPE,
  classNames: EMOJI_CATEGORIES,
};

/** The shipped subsets by short name (`deqir restore --model gaussian:NAME` fits a prior to one). */
export const SHIPPED_SUBSETS = { fashion: FASHION_SUBSET, emoji: EMOJI_SUBSET } as const;
export type ShippedSubsetName = keyof typeof SHIPPED_SUBSETS;

/** The shipped subset whose images have this [H, W, C] shape, if any (what `--image N` of a model of that shape reads). */
export function shippedSubsetFor(shape: readonly number[]): ShippedSubset | undefined {
  return Object.values(SHIPPED_SUBSETS).find((s) => s.shape.join() === shape.join());
}

/** Parses a subset's (already gunzipped) IDX bytes and checks count, shape and labels against its definition. */
export function subsetFromIdx(subset: ShippedSubset, imageBytes: Uint8Array, labelBytes: Uint8Array): LabelledImages {
  const set = labelledFromIdx(imageBytes, labelBytes, `${subset.name} subset`);
  const got = [set.count, set.height, set.width, set.channels];
  const want = [subset.count, ...subset.shape];
  if (got.some((g, i) => g !== want[i])) throw new DeqirError('dataset', `${subset.name} subset has shape [${got}], expected [${want}]`);
  const bad = set.labels.findIndex((l) => l >= subset.classNames.length);
  if (bad >= 0) throw new DeqirError('dataset', `${subset.name} subset: image ${bad} has label ${set.labels[bad]}, beyond its ${subset.classNames.length} classes`);
  return set;
}

/** gunzip in the browser (and Node >= 18) via DecompressionStream, for the .gz subset files. */
async function gunzipBrowser(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A subset from the bytes of its files as fetched. The .gz images are gunzipped here only when they
 * still start with gzip's magic bytes: a server that sends them with `Content-Encoding: gzip` has
 * the browser unpack them already.
 */
export async function subsetFromFiles(subset: ShippedSubset, imageFile: Uint8Array, labelFile: Uint8Array): Promise<LabelledImages> {
  const gzipped = imageFile.length >= 2 && imageFile[0] === 0x1f && imageFile[1] === 0x8b;
  return subsetFromIdx(subset, subset.images.endsWith('.gz') && gzipped ? await gunzipBrowser(imageFile) : imageFile, labelFile);
}
