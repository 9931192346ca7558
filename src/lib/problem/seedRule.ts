import { ParameterError } from '../errors.js';
import { childSeed, gaussianArray } from '../random/prng.js';

/**
 * The kit's one seed rule: how a user's seed becomes the noise of one restoration problem.
 *
 * Every image has a key: its index in the shipped subset, or its position in the batch for images
 * from elsewhere (an upload, a PNG, a problem file). The image's own seed is childSeed(seed, key),
 * and each kind of noise is a stream of it. Noise therefore depends on the image's key and the
 * seed only, never on which other images share the batch: a benchmark slice reproduces the full
 * run's numbers, and the site, the CLI and a benchmark cell build the same problem.
 */
const NOISE_STREAM = { xT: 1, fixedStepNoise: 2, measurement: 3 } as const;
/** Pre-sampled noise for every step (ParaDiGMS-style) depends on T: stream 1000 + T. */
const perStepNoiseStream = (T: number) => 1000 + T;

/** Seeds are integers in [0, 2^32): larger or fractional values would silently alias others. */
export function checkSeed(seed: number, field = 'seed'): number {
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
    throw new ParameterError(`${field} must be an integer in [0, 2^32), got ${seed}`);
  return seed;
}

const imageSeed = (seed: number, key: number) => childSeed(checkSeed(seed), key);

/** x_T of image `key`: `size` standard normal values. */
export const initialNoise = (seed: number, key: number, size: number) =>
  gaussianArray(size, childSeed(imageSeed(seed, key), NOISE_STREAM.xT));

/** The seed of image `key`'s measurement noise n in y = A x + sigma_y n. */
export const measurementSeed = (seed: number, key: number) => childSeed(imageSeed(seed, key), NOISE_STREAM.measurement);

/** Step noise z of image `key`: one image reused at every step ('fixed'), or T images ('per-step'). */
export function stepNoise(seed: number, key: number, size: number, mode: 'fixed' | 'per-step', T: number): Float32Array {
  return mode === 'fixed' ?
      gaussianArray(size, childSeed(imageSeed(seed, key), NOISE_STREAM.fixedStepNoise))
    : gaussianArray(T * size, childSeed(imageSeed(seed, key), perStepNoiseStream(T)));
}
