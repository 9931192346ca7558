/**
 * The image subset shipped in data/: 256 Fashion-MNIST test images with provenance
 * (scripts/makeBenchmarkSubset.ts). Browser-safe: names and index ranges only, no I/O.
 */
export const SUBSET_FILES = {
  images: 'fashion-mnist-test-256-images-idx3-ubyte',
  labels: 'fashion-mnist-test-256-labels-idx1-ubyte',
  provenance: 'fashion-mnist-test-256.provenance.json',
} as const;

export const SUBSET_SIZE = 256;

/** Images the site's pickers offer (0..127); the other half fits the Gaussian prior, so it never sees them. */
export const PICKER_IMAGES = 128;

/** Indices 128..255: the images the site's diagonal Gaussian prior is fitted to. */
export const PRIOR_FIT_IMAGES: readonly number[] = Array.from({ length: SUBSET_SIZE - PICKER_IMAGES }, (_, i) => PICKER_IMAGES + i);
