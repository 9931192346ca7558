import * as tf from '@tensorflow/tfjs-core';
import { DeqirError } from '../../errors.js';
import { validateUNetConfig, type UNetConfig } from '../unet/config.js';
import { unetParamSpecs, type Params } from '../unet/params.js';
import { UNetEpsModel } from '../unet/unetModel.js';
import { checkTensorSet, decodeWeights, encodeWeights, type NamedArray } from './safetensors.js';

/** Metadata key holding the UNet config (JSON string) and the model kind tag. */
const UNET_KIND = 'unet-eps';

/** Reads parameter values (in spec order) out of TF.js into plain arrays. */
export async function paramsToArrays(cfg: UNetConfig, p: Params, prefix = ''): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const s of unetParamSpecs(cfg)) {
    const t = p[s.name];
    if (!t) throw new DeqirError('model-file', `cannot save: parameter '${s.name}' is missing`);
    out.push({ name: prefix + s.name, shape: s.shape, data: (await t.data()) as Float32Array });
  }
  return out;
}

export async function encodeUNet(
  cfg: UNetConfig,
  p: Params,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  return encodeWeights(await paramsToArrays(cfg, p), { ...metadata, kind: UNET_KIND, config: JSON.stringify(cfg) });
}

/** Parses the config stored in a file's metadata, refusing files of another kind. */
export function configFromMetadata(meta: Record<string, string>): UNetConfig {
  if (meta.kind !== UNET_KIND) throw new DeqirError('model-file', `weight file: kind is '${meta.kind}', expected '${UNET_KIND}'`);
  let cfg: unknown;
  try {
    cfg = JSON.parse(meta.config);
  } catch {
    throw new DeqirError('model-file', 'weight file: __metadata__.config is not valid JSON');
  }
  try {
    validateUNetConfig(cfg);
  } catch (e) {
    throw new DeqirError('model-file', `weight file: __metadata__.config: ${(e as Error).message}`);
  }
  return cfg;
}

/** Builds tensors for every spec of cfg from decoded arrays (names prefixed by `prefix`). */
export function arraysToParams(cfg: UNetConfig, arrays: Map<string, NamedArray>, prefix = ''): Params {
  const p: Params = {};
  for (const s of unetParamSpecs(cfg)) {
    const a = arrays.get(prefix + s.name)!;
    p[s.name] = tf.tensor(a.data, s.shape as number[], 'float32');
  }
  return p;
}

/**
 * Loads a UNet eps-model from bytes, validating structure, sha256, kind, config, and that the
 * tensors are exactly the ones the config needs. `expectConfig` additionally pins the config.
 */
export async function decodeUNet(
  bytes: Uint8Array,
  opts: { name?: string; expectConfig?: UNetConfig } = {},
): Promise<{ model: UNetEpsModel; metadata: Record<string, string> }> {
  const { tensors, metadata } = await decodeWeights(bytes);
  const cfg = configFromMetadata(metadata);
  if (opts.expectConfig && JSON.stringify(opts.expectConfig) !== JSON.stringify(cfg))
    throw new DeqirError(
      'model-file',
      `weight file: its config ${JSON.stringify(cfg)} differs from the expected ${JSON.stringify(opts.expectConfig)}`,
    );
  checkTensorSet(tensors, unetParamSpecs(cfg));
  for (const t of tensors.values()) {
    const i = t.data.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) throw new DeqirError('model-file', `weight file: tensor '${t.name}' holds a non-finite value (${t.data[i]}) at index ${i}`);
  }
  return { model: new UNetEpsModel(cfg, arraysToParams(cfg, tensors), opts.name ?? metadata.name ?? 'unet'), metadata };
}
