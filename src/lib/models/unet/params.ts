import * as tf from '@tensorflow/tfjs-core';
import { gaussianArray, childSeed } from '../../random/prng.js';
import { validateUNetConfig, type UNetConfig } from './config.js';

/** Named parameter tensors; the UNet forward is a pure function of these. */
export type Params = Record<string, tf.Tensor>;

/** How a parameter starts: He-normal with a fan-in, zeros, ones, or zeros for residual outputs. */
export type InitKind = { kind: 'normal'; fanIn: number; gain?: number } | { kind: 'zeros' } | { kind: 'ones' };

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: InitKind;
}

function convSpecs(name: string, k: number, ci: number, co: number, zeroOut = false): ParamSpec[] {
  return [
    {
      name: `${name}.w`,
      shape: [k, k, ci, co],
      init: zeroOut ? { kind: 'zeros' } : { kind: 'normal', fanIn: k * k * ci },
    },
    { name: `${name}.b`, shape: [co], init: { kind: 'zeros' } },
  ];
}

function denseSpecs(name: string, i: number, o: number, zeroOut = false): ParamSpec[] {
  return [
    { name: `${name}.w`, shape: [i, o], init: zeroOut ? { kind: 'zeros' } : { kind: 'normal', fanIn: i } },
    { name: `${name}.b`, shape: [o], init: { kind: 'zeros' } },
  ];
}

function normSpecs(name: string, c: number): ParamSpec[] {
  return [
    { name: `${name}.gamma`, shape: [c], init: { kind: 'ones' } },
    { name: `${name}.beta`, shape: [c], init: { kind: 'zeros' } },
  ];
}

function resBlockSpecs(name: string, ci: number, co: number, tdim: number): ParamSpec[] {
  return [
    ...normSpecs(`${name}.norm1`, ci),
    ...convSpecs(`${name}.conv1`, 3, ci, co),
    ...denseSpecs(`${name}.temb`, tdim, co),
    ...normSpecs(`${name}.norm2`, co),
    // Zero-initialised last conv: every block starts as the identity (DDPM does the same).
    ...convSpecs(`${name}.conv2`, 3, co, co, true),
    ...(ci !== co ? denseSpecs(`${name}.skip`, ci, co) : []), // 1x1 conv as dense
  ];
}

function attentionSpecs(name: string, c: number): ParamSpec[] {
  return [
    ...normSpecs(`${name}.norm`, c),
    ...denseSpecs(`${name}.qkv`, c, 3 * c),
    ...denseSpecs(`${name}.proj`, c, c, true),
  ];
}

/**
 * The full parameter list in a fixed order (the order of the weight file). It mirrors
 * unetForward's walk; a mismatch shows up as a missing-parameter error or an unused
 * parameter in the gradient test.
 */
export function unetParamSpecs(cfg: UNetConfig): ParamSpec[] {
  validateUNetConfig(cfg);
  const ch = cfg.channels;
  const cIn = cfg.imageShape[2];
  const td = cfg.timeEmbedDim * 4;
  const specs: ParamSpec[] = [
    ...denseSpecs('temb.dense0', cfg.timeEmbedDim, td),
    ...denseSpecs('temb.dense1', td, td),
    ...convSpecs('conv_in', 3, cIn, ch[0]),
  ];
  // Skips: the output of every down-level block; the up path consumes them in reverse.
  const skipCh: number[] = [];
  let c = ch[0];
  ch.forEach((co, i) => {
    for (let r = 0; r < cfg.resBlocksPerLevel; r++) {
      specs.push(...resBlockSpecs(`down.${i}.res.${r}`, c, co, td));
      c = co;
      if (cfg.attentionLevels.includes(i)) specs.push(...attentionSpecs(`down.${i}.attn.${r}`, c));
      skipCh.push(c);
    }
  });
  specs.push(...resBlockSpecs('mid.res.0', c, c, td), ...attentionSpecs('mid.attn', c));
  specs.push(...resBlockSpecs('mid.res.1', c, c, td));
  for (let i = ch.length - 1; i >= 0; i--) {
    const co = ch[i];
    for (let r = 0; r < cfg.resBlocksPerLevel; r++) {
      const s = skipCh.pop()!;
      specs.push(...resBlockSpecs(`up.${i}.res.${r}`, c + s, co, td));
      c = co;
      if (cfg.attentionLevels.includes(i)) specs.push(...attentionSpecs(`up.${i}.attn.${r}`, c));
    }
    if (i > 0) specs.push(...convSpecs(`up.${i}.upsample`, 3, c, c));
  }
  specs.push(...normSpecs('out.norm', c), ...convSpecs('out.conv', 3, c, cIn, true));
  return specs;
}

/** Seeded initialisation: identical numbers on every backend (JS PRNG, then upload). */
export function initParams(cfg: UNetConfig, seed: number): Params {
  const out: Params = {};
  unetParamSpecs(cfg).forEach((s, idx) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    let data: Float32Array;
    if (s.init.kind === 'normal') {
      data = gaussianArray(size, childSeed(seed, idx));
      const std = (s.init.gain ?? 1) * Math.sqrt(2 / s.init.fanIn); // He-normal for SiLU nets
      for (let i = 0; i < size; i++) data[i] *= std;
    } else {
      data = new Float32Array(size).fill(s.init.kind === 'ones' ? 1 : 0);
    }
    out[s.name] = tf.tensor(data, s.shape as number[], 'float32');
  });
  return out;
}

export function countParams(cfg: UNetConfig): number {
  return unetParamSpecs(cfg).reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
}

export function disposeParams(p: Params): void {
  for (const t of Object.values(p)) t.dispose();
}
