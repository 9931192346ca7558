import { childSeed, gaussianArray, uniformStream } from '../random/prng.js';

/**
 * Everything random in one training step derives from (seed, step), so a resumed run draws
 * exactly the batches the uninterrupted run would have drawn, on any backend.
 */
export interface BatchDraw {
  /** Indices into the training images (with replacement). */
  indices: number[];
  /** Diffusion timesteps in 0..N-1, uniform. */
  t: number[];
  /** Standard normal noise, batch x pixels. */
  noise: Float32Array;
}

export function drawBatch(seed: number, step: number, batchSize: number, datasetSize: number, N: number, pixels: number): BatchDraw {
  const rnd = uniformStream(childSeed(seed, 2 * step));
  const indices = Array.from({ length: batchSize }, () => Math.floor(rnd() * datasetSize));
  const t = Array.from({ length: batchSize }, () => Math.floor(rnd() * N));
  const noise = gaussianArray(batchSize * pixels, childSeed(seed, 2 * step + 1));
  return { indices, t, noise };
}
