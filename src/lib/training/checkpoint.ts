import { DeqirError } from '../errors.js';
import { configFromMetadata, paramsToArrays, arraysToParams } from '../models/weights/unetWeights.js';
import { checkTensorSet, decodeWeights, encodeWeights } from '../models/weights/safetensors.js';
import { unetParamSpecs } from '../models/unet/params.js';
import type { TrainState } from './trainer.js';
import type { UNetConfig } from '../models/unet/config.js';

/**
 * A resumable training checkpoint in the same safetensors container as model files: tensors
 * `params/*`, `ema/*`, `adam.m/*`, `adam.v/*`, and the scalar state as JSON in __metadata__.
 * Everything random derives from (seed, step), so resuming reproduces the uninterrupted run.
 */
const CHECKPOINT_KIND = 'unet-train-checkpoint';
const GROUPS = ['params/', 'ema/', 'adam.m/', 'adam.v/'] as const;

interface ScalarState {
  step: number;
  adamT: number;
  hyper: TrainState['hyper'];
  lossCurve: TrainState['lossCurve'];
  lossWindow: number;
  window: TrainState['window'];
  trainSeconds: number;
}

export async function encodeCheckpoint(s: TrainState, extra: Record<string, string> = {}): Promise<Uint8Array> {
  const arrays = [
    ...(await paramsToArrays(s.config, s.params, 'params/')),
    ...(await paramsToArrays(s.config, s.ema, 'ema/')),
    ...(await paramsToArrays(s.config, s.adam.m, 'adam.m/')),
    ...(await paramsToArrays(s.config, s.adam.v, 'adam.v/')),
  ];
  const scalars: ScalarState = {
    step: s.step,
    adamT: s.adam.t,
    hyper: s.hyper,
    lossCurve: s.lossCurve,
    lossWindow: s.lossWindow,
    window: s.window,
    trainSeconds: s.trainSeconds,
  };
  return encodeWeights(arrays, {
    ...extra,
    kind: CHECKPOINT_KIND,
    config: JSON.stringify(s.config),
    state: JSON.stringify(scalars),
  });
}

export async function decodeCheckpoint(bytes: Uint8Array): Promise<TrainState> {
  const { tensors, metadata } = await decodeWeights(bytes);
  if (metadata.kind !== CHECKPOINT_KIND)
    throw new DeqirError('model-file', `checkpoint: kind is '${metadata.kind}', expected '${CHECKPOINT_KIND}'`);
  const config: UNetConfig = configFromMetadata({ ...metadata, kind: 'unet-eps' });
  const specs = unetParamSpecs(config);
  checkTensorSet(
    tensors,
    GROUPS.flatMap((g) => specs.map((s) => ({ name: g + s.name, shape: s.shape }))),
  );
  let sc: ScalarState;
  try {
    sc = JSON.parse(metadata.state) as ScalarState;
  } catch {
    throw new DeqirError('model-file', 'checkpoint: __metadata__.state is not valid JSON');
  }
  return {
    config,
    hyper: sc.hyper,
    step: sc.step,
    params: arraysToParams(config, tensors, 'params/'),
    ema: arraysToParams(config, tensors, 'ema/'),
    adam: { t: sc.adamT, m: arraysToParams(config, tensors, 'adam.m/'), v: arraysToParams(config, tensors, 'adam.v/') },
    lossCurve: sc.lossCurve,
    lossWindow: sc.lossWindow,
    window: sc.window,
    trainSeconds: sc.trainSeconds,
  };
}
