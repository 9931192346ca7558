import * as tf from '@tensorflow/tfjs-core';
import { conv2dSame, dense, batchMatMul, type MacCounter } from './fastGrads.js';
import type { Params } from './params.js';

/** Looks a parameter up by name; a missing one is a programming or weight-file error. */
function param<R extends tf.Rank>(p: Params, name: string): tf.Tensor<R> {
  const t = p[name];
  if (!t) throw new Error(`UNet: missing parameter '${name}'`);
  return t as tf.Tensor<R>;
}

/** Per-call context: parameters, the MAC counter and dropout state. */
export interface LayerContext {
  readonly p: Params;
  readonly groups: number;
  readonly counter?: MacCounter;
  /** Dropout probability and a seeded mask source; both unset at inference. */
  readonly dropout?: { rate: number; mask: (shape: number[]) => tf.Tensor };
}

export function silu<T extends tf.Tensor>(x: T): T {
  return tf.mul(x, tf.sigmoid(x)) as T;
}

/**
 * GroupNorm over (H, W, C/G) per group, eps = 1e-5, with the affine folded into one
 * scale/shift pair: y = x * scale + shift. Element-wise passes over the big tensor dominate
 * on wasm, so this uses 4 (square, mul, add, plus the reductions) instead of ~9.
 */
export function groupNorm(ctx: LayerContext, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const g = ctx.groups;
  const xr = tf.reshape(x, [b, h * w, g, c / g]);
  const mean = tf.mean(xr, [1, 3], true);
  const meanSq = tf.mean(tf.square(xr), [1, 3], true);
  // var = E[x^2] - E[x]^2, clamped at 0 against round-off.
  const inv = tf.rsqrt(tf.add(tf.relu(tf.sub(meanSq, tf.square(mean))), 1e-5));
  const gamma = tf.reshape(param(ctx.p, `${name}.gamma`), [1, 1, g, c / g]);
  const beta = tf.reshape(param(ctx.p, `${name}.beta`), [1, 1, g, c / g]);
  const scale = tf.mul(inv, gamma);
  const shift = tf.sub(beta, tf.mul(mean, scale));
  return tf.reshape(tf.add(tf.mul(xr, scale), shift), [b, h, w, c]);
}

export function conv(ctx: LayerContext, name: string, x: tf.Tensor4D): tf.Tensor4D {
  return conv2dSame(x, param(ctx.p, `${name}.w`), param(ctx.p, `${name}.b`), ctx.counter);
}

export function linear(ctx: LayerContext, name: string, x: tf.Tensor2D): tf.Tensor2D {
  return dense(x, param(ctx.p, `${name}.w`), param(ctx.p, `${name}.b`), ctx.counter);
}

/** 1x1 conv as a dense layer over all pixels. */
function pointwise(ctx: LayerContext, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const y = linear(ctx, name, tf.reshape(x, [b * h * w, c]));
  return tf.reshape(y, [b, h, w, y.shape[1]]);
}

/** DDPM residual block with timestep injection: x + conv(drop(silu(gn(conv(silu(gn x)) + temb)))). */
export function resBlock(ctx: LayerContext, name: string, x: tf.Tensor4D, temb: tf.Tensor2D): tf.Tensor4D {
  let h = conv(ctx, `${name}.conv1`, silu(groupNorm(ctx, `${name}.norm1`, x)));
  const co = h.shape[3];
  const tproj = linear(ctx, `${name}.temb`, silu(temb));
  h = tf.add(h, tf.reshape(tproj, [tproj.shape[0], 1, 1, co]));
  h = silu(groupNorm(ctx, `${name}.norm2`, h));
  if (ctx.dropout && ctx.dropout.rate > 0) {
    // Inverted dropout with a seeded mask (identical across backends).
    h = tf.mul(h, tf.div(ctx.dropout.mask(h.shape), 1 - ctx.dropout.rate));
  }
  h = conv(ctx, `${name}.conv2`, h);
  const skip = x.shape[3] === co ? x : pointwise(ctx, `${name}.skip`, x);
  return tf.add(skip, h);
}

/** Single-head self-attention over the H*W positions, with a residual connection. */
export function attention(ctx: LayerContext, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const n = h * w;
  const hn = groupNorm(ctx, `${name}.norm`, x);
  const qkv = tf.reshape(linear(ctx, `${name}.qkv`, tf.reshape(hn, [b * n, c])), [b, n, 3 * c]);
  const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  const scores = tf.mul(batchMatMul(q, tf.transpose(k, [0, 2, 1]), ctx.counter), 1 / Math.sqrt(c));
  const attn = tf.softmax(scores as tf.Tensor3D);
  const out = batchMatMul(attn, v, ctx.counter);
  const proj = linear(ctx, `${name}.proj`, tf.reshape(out, [b * n, c]));
  return tf.add(x, tf.reshape(proj, [b, h, w, c]));
}

/** 2x2 average pooling (parameter-free downsampling; the next block's convs do the mixing). */
export function downsample(x: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x, 2, 2, 'valid');
}

/**
 * 3x3 conv then nearest-neighbour 2x upsampling. DDPM convolves after upsampling; convolving
 * first costs 4x fewer MACs, which matters on a CPU.
 */
export function upsample(ctx: LayerContext, name: string, x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(conv(ctx, name, x), [2 * h, 2 * w]);
}
