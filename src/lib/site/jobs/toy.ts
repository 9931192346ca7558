import * as tf from '@tensorflow/tfjs-core';
import { deqRestore } from '../../deq/deqRestore.js';
import { gaussianMixturePrior } from '../../models/gaussianMixturePrior.js';
import { TOY_COMPONENTS } from '../toyComponents.js';
import { createOperator } from '../../operators/createOperator.js';
import { prepareRestoration } from '../../samplers/preparedRestoration.js';
import { serialChain } from '../../samplers/serialChain.js';
import { linearSchedule } from '../../schedule/linearSchedule.js';
import type { Solver } from '../jobSettings.js';
import { WARM_START_TOL } from '../../deq/solvers/solverDefaults.js';
import { OwnedTensors } from '../../tensors/ownedTensors.js';

/**
 * The 2-D toy of the "chain to a fixed point" page: data from a 2-D Gaussian mixture (exact eps, no
 * network), a measurement that fixes the first coordinate (inpainting mask [1, 0] on a 1x2 image),
 * and every trajectory as a polyline from x_T to x_0. Runs in milliseconds on the cpu backend.
 */

export interface ToyRequest {
  xT: [number, number];
  /** The observed value of coordinate 1. */
  observed: number;
  T: number;
  solvers: Solver[];
  maxIter: number;
}

export type Point = [number, number];

export const TOY_DEFAULT: ToyRequest = { xT: [1.2, -1.4], observed: 0.5, T: 12, solvers: ['picard', 'anderson'], maxIter: 12 };

export interface ToyResult {
  /** x_T, then the state after each serial step (x_0 last). */
  serial: Point[];
  /** Per solver: per iteration, the polyline [x_T, F(X) rows...]. */
  iterations: Record<string, { paths: Point[][]; relResidual: number[] }>;
}

export async function runToy(req: ToyRequest): Promise<ToyResult> {
  const toPath = (flat: ArrayLike<number>): Point[] => {
    const pts: Point[] = [req.xT];
    for (let i = 0; i < flat.length; i += 2) pts.push([flat[i], flat[i + 1]]);
    return pts;
  };
  const owned = new OwnedTensors();
  try {
    const model = owned.keep(gaussianMixturePrior(linearSchedule(), [1, 2, 1], TOY_COMPONENTS));
    const op = owned.keep(createOperator({ kind: 'inpainting', mask: [1, 0] }, [1, 2, 1]));
    const xT = owned.keep(tf.tensor4d(req.xT, [1, 1, 2, 1]));
    const y = owned.keep(tf.tensor4d([req.observed, 0], [1, 1, 2, 1]));
    const task = owned.keep(prepareRestoration({ model, operator: op, y, xT, sampling: { T: req.T } }));
    const serial = await serialChain(task, { keepTrajectory: true });
    const last = await serial.x0.data();
    serial.x0.dispose();
    const serialPath = [...serial.trajectory!.x.map((x) => [x[0], x[1]] as Point), [last[0], last[1]] as Point];
    const iterations: ToyResult['iterations'] = {};
    for (const kind of req.solvers) {
      const paths: Point[][] = [];
      const res = await deqRestore(
        task,
        {
          kind,
          tol: WARM_START_TOL,
          maxIter: req.maxIter,
          triangular: kind === 'anderson',
          onIteration: async (_rec, { fx }) => {
            paths.push(toPath(await fx.data()));
          },
        },
        { init: 'xT' },
      );
      res.x0.dispose();
      iterations[kind] = { paths, relResidual: res.history.map((h) => h.relResidual) };
    }
    return { serial: serialPath, iterations };
  } finally {
    owned.dispose();
  }
}
