import * as tf from '@tensorflow/tfjs-core';
import type { ImageShape } from '../../image/imageShape.js';
import type { EpsModel } from '../epsModel.js';
import { validateUNetConfig, type UNetConfig } from './config.js';
import { disposeParams, type Params } from './params.js';
import { unetForward } from './unetForward.js';

/** The UNet behind the EpsModel contract. Owns its parameter tensors (dispose() frees them). */
export class UNetEpsModel implements EpsModel {
  readonly imageShape: ImageShape;

  constructor(
    readonly config: UNetConfig,
    readonly params: Params,
    readonly name = 'unet',
  ) {
    validateUNetConfig(config);
    this.imageShape = config.imageShape;
  }

  eps(x: tf.Tensor4D, t: readonly number[]): tf.Tensor4D {
    return tf.tidy(() => unetForward(this.config, this.params, x, t));
  }

  dispose(): void {
    disposeParams(this.params);
  }
}
