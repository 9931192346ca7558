import '../tensors/registerGradients.js';
import * as tf from '@tensorflow/tfjs-core';
import { deqRestore } from '../deq/deqRestore.js';
import { deqSystem } from '../deq/deqSystem.js';
import { type InitKind } from '../deq/deqDefaults.js';
import { solveFixedPoint } from '../deq/solvers/solveFixedPoint.js';
import type { SolverSettings } from '../deq/solvers/solverTypes.js';
import { ParameterError, throwIfAborted } from '../errors.js';
import type { PreparedRestoration } from '../samplers/preparedRestoration.js';
import { serialChain } from '../samplers/serialChain.js';
import { serialX0With } from '../samplers/serialStep.js';
import type { RestorationLoss } from './restorationLoss.js';
import { GRADIENT_TOL, defaultMaxIter } from '../deq/solvers/solverDefaults.js';
import { OwnedTensors } from '../tensors/ownedTensors.js';
import { releasingTapeOnFailure } from '../tensors/releasingTapeOnFailure.js';

export type GradientMethod = 'implicit' | 'phantom' | 'serial';

export interface GradientOptions {
  method: GradientMethod;
  /** Forward DeqIR solve (implicit, phantom). Default Picard to GRADIENT_TOL or T iterations (exact). */
  solver?: SolverSettings;
  /** Forward solve start: a named state or a tensor [T, B, H, W, C] (e.g. the previous solution). */
  init?: InitKind | tf.Tensor;
  /** Return the solved state X* (implicit, phantom) for warm starts; the caller disposes it. */
  keepState?: boolean;
  /** Adjoint solve (implicit). Default Picard from the loss gradient: exact after T iterations. */
  adjointSolver?: SolverSettings;
  /** Phantom gradient: k damped steps X <- (1 - tau) X + tau F(X) from the fixed point. */
  phantomSteps?: number;
  phantomTau?: number;
  signal?: AbortSignal;
}

export interface GradientResult {
  method: GradientMethod;
  loss: number;
  x0: tf.Tensor4D;
  /** dL/dxT [B, H, W, C] and dL/dy (y's shape). The caller disposes them. */
  dxT: tf.Tensor4D;
  dy: tf.Tensor;
  forwardIterations: number;
  adjointIterations: number;
  /** Cost in network evaluations per image: an eps forward counts 1, an eps VJP counts 2. */
  nfeEquivalent: number;
  wallMs: number;
  state?: tf.Tensor;
}

/**
 * Gradients of a loss of the restored x0 with respect to the initial noise xT and the measurement y.
 *
 * implicit  at the fixed point X* = F(X*; xT, y), with e = dL/dX (nonzero in the x0 row):
 *           g = (dF/dX)^T g + e, solved with the same fixed-point solvers (the system is upper-
 *           triangular, so Picard is exact after T iterations); then dL/dp = (dF/dp)^T g + dL/dp|direct.
 *           (docs/design.md §2.5)
 * phantom   back-propagation through k damped steps from X* (an approximation; cheap for small k).
 * serial    back-propagation through the serial chain (the reference the others must equal).
 */
export async function restorationGradient(
  task: PreparedRestoration,
  loss: RestorationLoss,
  opts: GradientOptions,
): Promise<GradientResult> {
  const start = performance.now();
  const { xT, y } = task.inputs;
  const T = task.coeffs.T;
  if (opts.method === 'serial') {
    throwIfAborted(opts.signal);
    const f = (a: tf.Tensor, b: tf.Tensor) => loss.value(serialX0With(task, a as tf.Tensor4D, b), b);
    const { value, grads } = await valueAndGrads(f, xT, y);
    try {
      const serial = await serialChain(task);
      return {
        method: 'serial',
        loss: value,
        x0: serial.x0,
        dxT: grads[0] as tf.Tensor4D,
        dy: grads[1],
        forwardIterations: T,
        adjointIterations: T,
        nfeEquivalent: 3 * T,
        wallMs: performance.now() - start,
      };
    } catch (err) {
      grads.forEach((g) => g.dispose());
      throw err;
    }
  }
  const forward = await deqRestore(
    task,
    { kind: 'picard', tol: GRADIENT_TOL, maxIter: defaultMaxIter(T), ...opts.solver, signal: opts.signal },
    { keepState: true, init: opts.init },
  );
  // scratch is freed whatever happens; returned is the caller's on success and freed on failure.
  const scratch = new OwnedTensors();
  const returned = new OwnedTensors();
  const Xstar = scratch.keep(forward.state!);
  const system = scratch.keep(deqSystem(task));
  returned.keep(forward.x0);
  const state = opts.keepState ? returned.keep(tf.clone(Xstar)) : undefined;
  try {
    const lossOfState = (X: tf.Tensor, b: tf.Tensor) => loss.value(system.x0Of(X), b);
    if (opts.method === 'phantom') {
      const k = opts.phantomSteps ?? 1;
      const tau = opts.phantomTau ?? 0.1;
      if (!Number.isInteger(k) || k < 1) throw new ParameterError(`phantom gradient: steps must be an integer >= 1, got ${k}`);
      if (!(tau > 0 && tau <= 1)) throw new ParameterError(`phantom gradient: tau must lie in (0, 1], got ${tau}`);
      throwIfAborted(opts.signal);
      const f = (a: tf.Tensor, b: tf.Tensor) =>
        tf.tidy(() => {
          let X: tf.Tensor = Xstar;
          for (let i = 0; i < k; i++) X = tf.add(tf.mul(X, 1 - tau), tf.mul(system.mapWith(X, a, b), tau));
          return lossOfState(X, b);
        });
      const { value, grads } = await valueAndGrads(f, xT, y);
      return {
        method: 'phantom',
        loss: value,
        x0: forward.x0,
        dxT: grads[0] as tf.Tensor4D,
        dy: grads[1],
        forwardIterations: forward.iterations,
        adjointIterations: k,
        nfeEquivalent: forward.nfe + 3 * k * T,
        wallMs: performance.now() - start,
        state,
      };
    }
    if (opts.method !== 'implicit')
      throw new ParameterError(`unknown gradient method '${String(opts.method)}' (expected implicit, phantom or serial)`);
    // e = dL/dX and the direct dL/dy (consistency and similar losses read y themselves).
    const [e, dyDirect] = scratch.keepAll(
      releasingTapeOnFailure(() =>
        loss.readsY ?
          tf.grads((X: tf.Tensor, b: tf.Tensor) => lossOfState(X, b))([Xstar, y])
        : [tf.grad((X: tf.Tensor) => lossOfState(X, y))(Xstar), tf.zerosLike(y)],
      ),
    );
    const vjpState = tf.grad((X: tf.Tensor) => system.mapWith(X, xT, y));
    const adjoint = await solveFixedPoint(
      (g) =>
        tf.tidy(() =>
          tf.add(
            releasingTapeOnFailure(() => vjpState(Xstar, g)),
            e,
          ),
        ),
      e,
      {
        kind: 'picard',
        tol: GRADIENT_TOL,
        maxIter: defaultMaxIter(T),
        ...opts.adjointSolver,
        signal: opts.signal,
      },
    );
    scratch.keep(adjoint.solution);
    const [dxT, dyG] = returned.keepAll(
      releasingTapeOnFailure(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => system.mapWith(Xstar, a, b))([xT, y], adjoint.solution)),
    );
    scratch.keep(dyG);
    const dy = returned.keep(tf.add(dyG, dyDirect));
    const value = await readScalar(tf.tidy(() => lossOfState(Xstar, y)));
    return {
      method: 'implicit',
      loss: value,
      x0: forward.x0,
      dxT: dxT as tf.Tensor4D,
      dy,
      forwardIterations: forward.iterations,
      adjointIterations: adjoint.iterations,
      nfeEquivalent: forward.nfe + 2 * T * (adjoint.iterations + 1),
      wallMs: performance.now() - start,
      state,
    };
  } catch (err) {
    returned.dispose();
    throw err;
  } finally {
    scratch.dispose();
  }
}

/** Loss value and gradients with respect to both arguments, in one tape. */
async function valueAndGrads(
  f: (a: tf.Tensor, b: tf.Tensor) => tf.Scalar,
  a: tf.Tensor,
  b: tf.Tensor,
): Promise<{ value: number; grads: tf.Tensor[] }> {
  const { value, grads } = releasingTapeOnFailure(() => tf.valueAndGrads(f)([a, b]));
  try {
    return { value: await readScalar(value), grads };
  } catch (err) {
    grads.forEach((g) => g.dispose());
    throw err;
  }
}

/** Reads and disposes a scalar without a synchronous read-back (fatal on WebGPU in a worker). */
async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}
