import { ParameterError } from './errors.js';

/**
 * The kit's one module of bounds: what anyone may ask for (sizes, counts, file sizes, steps T,
 * tolerances, iterations, the memory budget), checked before anything is allocated. The CLI, the
 * problem schema, the file readers, the operators and the worker all import these. A leaf: it
 * imports nothing of the kit but its errors. The memory estimate is in problem/memoryEstimate.ts.
 */

/** Largest float32; numbers beyond it would become Infinity on upload, so inputs are refused at parse time. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** Images per problem (the batch N). */
export const MAX_BATCH = 64;
/** Height and width of an image, in a problem file or a PNG header (checked before decoding). */
export const MAX_IMAGE_SIDE = 512;
/** Channels per image (grey, colour, colour + alpha). */
export const MAX_CHANNELS = 4;
/** Steps of the diffusion schedule (N of the linear schedule). */
export const MAX_SCHEDULE_N = 100_000;
/** Components of a Gaussian-mixture prior. */
export const MAX_MIXTURE_COMPONENTS = 64;
/** Anderson's history length m. */
export const MAX_ANDERSON_M = 50;
/** Phantom-gradient steps k (each one is a full map evaluation). */
export const MAX_PHANTOM_STEPS = 100;
/** Blur kernel taps; a Gaussian's default size 2⌈3σ⌉+1 must fit, so σ is bounded too. */
export const MAX_KERNEL_SIZE = 255;
export const MAX_BLUR_SIGMA = 42;
/** Compressed-sensing block side b (the Walsh basis has b² × b² entries). */
export const MAX_CS_BLOCK = 64;
/** Rows and columns of an explicit matrix (a dense SVD costs rows · columns · min of both). */
export const MAX_MATRIX_SIDE = 1024;

/**
 * Input files are regular files of at most this many bytes (FIFOs, devices and directories are
 * refused). A problem file's JSON parses to about 16 bytes per number: a 32 MiB file of 16 million
 * numbers peaks near 0.5 GB before its array lengths are refused.
 */
export const INPUT_FILE_MAX_BYTES = {
  problem: 32 * 2 ** 20,
  png: 16 * 2 ** 20,
  model: 256 * 2 ** 20,
  classifier: 64 * 2 ** 20,
  dataset: 256 * 2 ** 20,
} as const;
export type InputFileKind = keyof typeof INPUT_FILE_MAX_BYTES;

/** Memory a job may plan to use, in MiB; the CLI's --memory-budget-mb raises it up to `max`. */
export const MEMORY_BUDGET_MB = { default: 2048, min: 16, max: 1 << 20 } as const;
/**
 * The site's worker (wasm or WebGPU in a browser tab) gets less: a job over this is refused with
 * the reason before it runs, instead of aborting the worker (Gradients at T = 20 with k = T).
 */
export const WORKER_MEMORY_BUDGET_MB = 1536;

/** Sampling steps T anyone may ask for (the CLI, problem files and every page). */
export const T_RANGE = { min: 2, max: 100 } as const;
export const DEFAULT_T = 20;
/** Solver tolerances and iteration caps anyone may ask for. */
export const TOL_RANGE = { min: 1e-7, max: 0.5 } as const;
export const MAX_ITER_RANGE = { min: 1, max: 4 * T_RANGE.max } as const;

/** T as an integer in T_RANGE, or a ParameterError naming `field`. */
export function checkT(T: number, field = 'T'): number {
  if (!Number.isInteger(T) || T < T_RANGE.min || T > T_RANGE.max)
    throw new ParameterError(`${field} must be an integer from ${T_RANGE.min} to ${T_RANGE.max}, got ${T}`);
  return T;
}
