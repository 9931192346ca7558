import * as tf from '@tensorflow/tfjs-core';
import { ShapeError } from '../../errors.js';
import type { UNetConfig } from './config.js';
import { concatChannels, type MacCounter } from './fastGrads.js';
import { attention, downsample, groupNorm, linear, resBlock, silu, upsample, conv, type LayerContext } from './layers.js';
import type { Params } from './params.js';
import { timestepEmbedding } from './timestepEmbedding.js';

export interface ForwardOptions {
  counter?: MacCounter;
  dropout?: LayerContext['dropout'];
}

/**
 * eps_theta(x, t) as a pure function of the parameters (so tf.grads can differentiate it).
 * Walks the same structure as unetParamSpecs: conv_in; per level (average-pool between levels)
 * residual blocks whose outputs are the skips; middle res-attn-res; up path concatenating the
 * skips in reverse, with conv-then-nearest upsampling; GroupNorm-SiLU-conv to image channels.
 * Lighter than DDPM's (one skip per block, conv at the LOW resolution before upsampling):
 * sized to train on one CPU core.
 */
export function unetForward(
  cfg: UNetConfig,
  p: Params,
  x: tf.Tensor4D,
  t: readonly number[],
  opts: ForwardOptions = {},
): tf.Tensor4D {
  const [, h, w, c] = x.shape;
  const [eh, ew, ec] = cfg.imageShape;
  if (h !== eh || w !== ew || c !== ec)
    throw new ShapeError(`UNet expects images [B,${eh},${ew},${ec}], got [${x.shape}]`);
  if (t.length !== x.shape[0])
    throw new ShapeError(`UNet: ${t.length} timesteps for a batch of ${x.shape[0]} images`);
  const ctx: LayerContext = { p, groups: cfg.groups, counter: opts.counter, dropout: opts.dropout };
  const ch = cfg.channels;
  const temb0 = tf.tensor2d(timestepEmbedding(t, cfg.timeEmbedDim), [t.length, cfg.timeEmbedDim]);
  const temb = linear(ctx, 'temb.dense1', silu(linear(ctx, 'temb.dense0', temb0)));

  let hcur = conv(ctx, 'conv_in', x);
  const skips: tf.Tensor4D[] = [];
  ch.forEach((_, i) => {
    if (i > 0) hcur = downsample(hcur);
    for (let r = 0; r < cfg.resBlocksPerLevel; r++) {
      hcur = resBlock(ctx, `down.${i}.res.${r}`, hcur, temb);
      if (cfg.attentionLevels.includes(i)) hcur = attention(ctx, `down.${i}.attn.${r}`, hcur);
      skips.push(hcur);
    }
  });
  hcur = resBlock(ctx, 'mid.res.0', hcur, temb);
  hcur = attention(ctx, 'mid.attn', hcur);
  hcur = resBlock(ctx, 'mid.res.1', hcur, temb);
  for (let i = ch.length - 1; i >= 0; i--) {
    for (let r = 0; r < cfg.resBlocksPerLevel; r++) {
      hcur = resBlock(ctx, `up.${i}.res.${r}`, concatChannels(hcur, skips.pop()!), temb);
      if (cfg.attentionLevels.includes(i)) hcur = attention(ctx, `up.${i}.attn.${r}`, hcur);
    }
    if (i > 0) hcur = upsample(ctx, `up.${i}.upsample`, hcur);
  }
  return conv(ctx, 'out.conv', silu(groupNorm(ctx, 'out.norm', hcur)));
}
