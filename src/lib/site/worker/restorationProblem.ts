import * as tf from '@tensorflow/tfjs-core';
import type { EpsModel } from '../../models/epsModel.js';
import { createOperator } from '../../operators/createOperator.js';
import type { LinearOperator } from '../../operators/linearOperator.js';
import { measure } from '../../operators/measure.js';
import { childSeed, gaussianArray } from '../../random/prng.js';
import { prepareRestoration, type RestorationTask } from '../../restoration/restorationTask.js';
import type { DemoSettings } from '../jobSettings.js';
import { onCpu } from '../../backend/onCpu.js';
import { taskOperator } from './taskOperator.js';

/** One restoration problem built from page settings; dispose() frees every tensor it made. */
export interface RestorationProblem {
  op: LinearOperator;
  truth: tf.Tensor4D;
  y: tf.Tensor;
  xT: tf.Tensor4D;
  task: RestorationTask;
  dispose(): void;
}

/** Built on the cpu backend (see onCpu). x_T and the measurement noise come from child seeds of settings.seed: identical on every backend. */
export function restorationProblem(model: EpsModel, s: DemoSettings, truthPixels: Float32Array): Promise<RestorationProblem> {
  return onCpu(() => build(model, s, truthPixels));
}

function build(model: EpsModel, s: DemoSettings, truthPixels: Float32Array): RestorationProblem {
  const shape = model.imageShape;
  const { spec, sigmaY } = taskOperator(s.task, s.mask, shape[0], shape[1]);
  const op = createOperator(spec, shape);
  const D = shape[0] * shape[1] * shape[2];
  const truth = tf.tensor4d(truthPixels, [1, ...shape]);
  const y = measure(op, truth, sigmaY, childSeed(s.seed, 1));
  const xT = tf.tensor4d(gaussianArray(D, childSeed(s.seed, 0)), [1, ...shape]);
  const task = prepareRestoration({ model, operator: op, y, xT, sampling: { T: s.T } });
  return {
    op,
    truth,
    y,
    xT,
    task,
    dispose: () => {
      task.dispose();
      [truth, y, xT].forEach((t) => t.dispose());
      op.dispose();
    },
  };
}
