import { ParameterError } from '../../errors.js';
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

/** Throws ParameterError naming the first inconsistency, so bad configs fail before any tensor work. */
export function validateUNetConfig(c: UNetConfig): void {
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
