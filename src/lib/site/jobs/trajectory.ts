import * as tf from '@tensorflow/tfjs-core';
import { deqRestore } from '../../deq/deqRestore.js';
import type { EpsModel } from '../../models/epsModel.js';
import { serialChain } from '../../samplers/serialChain.js';
import { maxIterOf, type JobSettings, type Solver } from '../jobSettings.js';
import { encodeImage } from '../imageCodec.js';
import type { RunOptions } from './demo.js';
import { yieldToEvents } from '../progress.js';
import { jobProblem } from './jobProblem.js';
import { jobSolverSettings } from './serialWithProgress.js';

export interface TrajectoryGrid {
  T: number;
  /** [H, W, C] of every state (the prior's image shape). */
  shape: number[];
  /** Timestep each column starts from (t_k); column k shows the state after step k. */
  t: number[];
  serial: { x: string[]; x0Pred: string[] };
  /** Per solver, per iteration, per column: the state after step k and the model's x0|t at step k. */
  solvers: Record<string, { x: string[][]; x0Pred: string[][]; relResidual: number[]; errToSerial: number[][] }>;
}

/**
 * Everything the trajectory grid shows: each solver's iterate (all T states) after every iteration,
 * with x0|t = (x_t - sqrt(1-abar_t) eps) / sqrt(abar_t) at the inputs of the next map evaluation, the max
 * abs difference of every state to the serial one
 * (one extra batched network call per iteration, for display only), and the serial chain for reference.
 */
export async function runTrajectory(
  model: EpsModel,
  s: JobSettings,
  truth: Float32Array,
  solvers: Solver[],
  opts: RunOptions = {},
): Promise<TrajectoryGrid> {
  const p = await jobProblem(model, s, truth);
  const c = p.task.coeffs;
  const D = truth.length;
  const T = s.T;
  const split = (flat: ArrayLike<number>) =>
    Array.from({ length: T }, (_, k) => encodeImage(Array.prototype.slice.call(flat, k * D, (k + 1) * D)));
  const x0PredOf = async (fx: tf.Tensor): Promise<string[]> => {
    const pred = tf.tidy(() => {
      const inputs = tf.concat([p.xT, tf.reshape(tf.slice(fx, [0], [T - 1]), [T - 1, ...model.imageShape])], 0) as tf.Tensor4D;
      const eps = model.eps(inputs, c.t);
      const a = tf.tensor4d(Float32Array.from(c.sqrtAbarT), [T, 1, 1, 1]);
      const b = tf.tensor4d(Float32Array.from(c.sqrtOneMinusAbarT), [T, 1, 1, 1]);
      return tf.div(tf.sub(inputs, tf.mul(b, eps)), a);
    });
    const data = await pred.data();
    pred.dispose();
    return split(data);
  };
  try {
    const serial = await serialChain(p.task, { keepTrajectory: true, signal: opts.signal });
    const sx0 = await serial.x0.data();
    serial.x0.dispose();
    const tr = serial.trajectory!;
    // The serial state after each step, in float: the grid marks iterate states that match it.
    const serialStates = [...tr.x.slice(1), sx0];
    const errTo = (flat: ArrayLike<number>) =>
      serialStates.map((ref, k) => {
        let m = 0;
        for (let i = 0; i < D; i++) m = Math.max(m, Math.abs(flat[k * D + i] - ref[i]));
        return m;
      });
    const out: TrajectoryGrid = {
      T,
      shape: [...model.imageShape],
      t: c.t,
      serial: { x: [...tr.x.slice(1), sx0].map((v) => encodeImage(v)), x0Pred: tr.x0Pred.map((v) => encodeImage(v)) },
      solvers: {},
    };
    for (const kind of solvers) {
      const rec: TrajectoryGrid['solvers'][string] = { x: [], x0Pred: [], relResidual: [], errToSerial: [] };
      const res = await deqRestore(
        p.task,
        jobSolverSettings(s, kind, true, opts.signal, async (r, { fx }) => {
          const data = await fx.data();
          rec.x.push(split(data));
          rec.errToSerial.push(errTo(data));
          rec.x0Pred.push(await x0PredOf(fx));
          rec.relResidual.push(r.relResidual);
          opts.onProgress?.({ phase: 'deq', iteration: r.iteration, maxIter: maxIterOf(s), relResidual: r.relResidual, solver: kind });
          await yieldToEvents();
        }),
        { init: s.init },
      );
      res.x0.dispose();
      out.solvers[kind] = rec;
    }
    return out;
  } finally {
    p.dispose();
  }
}
