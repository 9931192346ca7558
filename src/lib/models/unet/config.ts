import { didYouMean, ParameterError } from '../../errors.js';
import { MAX_CHANNELS, MAX_IMAGE_SIDE, MAX_SCHEDULE_N } from '../../bounds.js';
import type { ImageShape } from '../../image/imageShape.js';

/**
 * Architecture of the DDPM-style UNet. Level i works at resolution H / 2^i with
 * `channels[i]` channels; `attentionLevels` lists the levels that get self-attention after
 * each residual block (the lowest level is cheap: 7x7 = 49 tokens for 28x28 inputs).
 */
export interface UNetConfig {
  readonly imageShape: ImageShape;
  readonly channels: readonly number[];
  readonly resBlocksPerLevel: number;
  readonly attentionLevels: readonly number[];
  /** GroupNorm groups; every channel count must be divisible by it. */
  readonly groups: number;
  /** Width of the sinusoidal embedding; the MLP widens it 4x as in DDPM. */
  readonly timeEmbedDim: number;
  /** Dropout probability inside residual blocks (training only). */
  readonly dropout: number;
  /** Number of diffusion timesteps the model was trained for (embedding period sanity). */
  readonly timesteps: number;
}

/** The size shipped for Fashion-MNIST: ~0.5M parameters, sized to train on one CPU core. */
export const FASHION_SMALL: UNetConfig = {
  imageShape: [28, 28, 1],
  channels: [32, 64, 64],
  resBlocksPerLevel: 1,
  attentionLevels: [2],
  groups: 8,
  timeEmbedDim: 32,
  dropout: 0,
  timesteps: 1000,
};

/**
 * The colour prior (emoji, 32x32 RGB): four levels at 32/16/8/4 with attention at 8x8 and 4x4.
 * The added width sits at the cheap low resolutions: 3,156,867 parameters (12.6 MB of float32,
 * within the colour prior's 20 MB size bound) for 438 MFLOP/image, 2x the grey model's compute for 4x its parameters.
 * Dropout 0.1 (as DDPM on CIFAR-10): 3,397 training images are few for 3M parameters.
 */
export const EMOJI_UNET: UNetConfig = {
  imageShape: [32, 32, 3],
  channels: [32, 64, 128, 128],
  resBlocksPerLevel: 1,
  attentionLevels: [2, 3],
  groups: 8,
  timeEmbedDim: 32,
  dropout: 0.1,
  timesteps: 1000,
};

/** A very small config for unit tests: same topology, tiny widths. */
export const TINY_TEST: UNetConfig = {
  imageShape: [8, 8, 1],
  channels: [8, 16],
  resBlocksPerLevel: 1,
  attentionLevels: [1],
  groups: 4,
  timeEmbedDim: 8,
  dropout: 0,
  timesteps: 1000,
};

const CONFIG_FIELDS = ['imageShape', 'channels', 'resBlocksPerLevel', 'attentionLevels', 'groups', 'timeEmbedDim', 'dropout', 'timesteps'] as const;
/** Bounds of a config a file may carry (a weight file's config is untrusted input). */
const CONFIG_BOUNDS = { levels: 8, channels: 4096, resBlocks: 8, groups: 4096, timeEmbedDim: 4096, timesteps: MAX_SCHEDULE_N } as const;

/**
 * Throws ParameterError naming the first bad field or inconsistency, so bad configs (including
 * `null`, `{}` or a weight file's hand-edited config) fail before any tensor work.
 */
export function validateUNetConfig(c: unknown): asserts c is UNetConfig {
  const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v));
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new ParameterError(`UNet config must be an object, got ${show(c)}`);
  const o = c as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!(CONFIG_FIELDS as readonly string[]).includes(k)) throw new ParameterError(`UNet config: unknown field '${k}'${didYouMean(k, CONFIG_FIELDS)}`);
  const int = (v: unknown, what: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new ParameterError(`UNet config: ${what} must be an integer from ${min} to ${max}, got ${show(v)}`);
    return v;
  };
  const list = (field: string, minLen: number, maxLen: number): unknown[] => {
    const v = o[field];
    if (!Array.isArray(v) || v.length < minLen || v.length > maxLen)
      throw new ParameterError(`UNet config: ${field} must be a list of ${minLen === maxLen ? minLen : `${minLen} to ${maxLen}`} integers, got ${show(v)}`);
    return v;
  };
  const shape = list('imageShape', 3, 3);
  shape.forEach((v, i) => int(v, `imageShape[${i}]`, 1, i < 2 ? MAX_IMAGE_SIDE : MAX_CHANNELS));
  const channels = list('channels', 1, CONFIG_BOUNDS.levels);
  if (channels.length < 1) throw new ParameterError('UNet config: channels must list at least one level');
  channels.forEach((v, i) => int(v, `channels[${i}]`, 1, CONFIG_BOUNDS.channels));
  list('attentionLevels', 0, CONFIG_BOUNDS.levels).forEach((v, i) => int(v, `attentionLevels[${i}]`, 0, CONFIG_BOUNDS.levels));
  int(o.resBlocksPerLevel, 'resBlocksPerLevel', 1, CONFIG_BOUNDS.resBlocks);
  int(o.groups, 'groups', 1, CONFIG_BOUNDS.groups);
  int(o.timeEmbedDim, 'timeEmbedDim', 2, CONFIG_BOUNDS.timeEmbedDim);
  int(o.timesteps, 'timesteps', 1, CONFIG_BOUNDS.timesteps);
  if (typeof o.dropout !== 'number') throw new ParameterError(`UNet config: dropout must be a number in [0, 1), got ${show(o.dropout)}`);
  checkConsistency(c as UNetConfig);
}

/** The relations between fields (types and ranges checked by validateUNetConfig). */
function checkConsistency(c: UNetConfig): void {
  const [h, w, ch] = c.imageShape;
  const levels = c.channels.length;
  if (levels < 1) throw new ParameterError('UNet config: channels must list at least one level');
  if (![h, w, ch].every((v) => Number.isInteger(v) && v > 0))
    throw new ParameterError(`UNet config: imageShape [${c.imageShape}] must be positive integers`);
  const f = 2 ** (levels - 1);
  if (h % f !== 0 || w % f !== 0)
    throw new ParameterError(
      `UNet config: image ${h}x${w} cannot be halved ${levels - 1} times (needs multiples of ${f})`,
    );
  for (const c2 of c.channels)
    if (!Number.isInteger(c2) || c2 <= 0 || c2 % c.groups !== 0)
      throw new ParameterError(
        `UNet config: channel count ${c2} must be a positive multiple of groups=${c.groups}`,
      );
  for (const l of c.attentionLevels)
    if (!Number.isInteger(l) || l < 0 || l >= levels)
      throw new ParameterError(`UNet config: attention level ${l} outside 0..${levels - 1}`);
  if (!Number.isInteger(c.resBlocksPerLevel) || c.resBlocksPerLevel < 1)
    throw new ParameterError('UNet config: resBlocksPerLevel must be an integer >= 1');
  if (!Number.isInteger(c.timeEmbedDim) || c.timeEmbedDim < 2 || c.timeEmbedDim % 2 !== 0)
    throw new ParameterError('UNet config: timeEmbedDim must be an even integer >= 2');
  if (!(c.dropout >= 0 && c.dropout < 1))
    throw new ParameterError(`UNet config: dropout ${c.dropout} must be in [0, 1)`);
}
