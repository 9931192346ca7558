import * as tf from '@tensorflow/tfjs-core';
import type { PreparedRestoration } from '../samplers/preparedRestoration.js';
import { ParameterError } from '../errors.js';
import type { InitKind } from './deqDefaults.js';
import { noiseScales } from './noiseScales.js';
import type { FixedPointMap } from './solvers/solverTypes.js';

/**
 * The joint map F of docs/design.md §2.3, state X = [x_{s_1}, ..., x_{s_T} = x_0] stacked as
 * [T, B, H, W, C] (row k is the state after step k; x_0 is the last row).
 *
 * One application F(X):
 *  1. network inputs [x_T, X_1..X_{T-1}], ALL T eps in one batched call (optionally in chunks);
 *  2. every next state by the unrolled closed form, in u = x / sqrt(abar) scale:
 *       u_{s_k} = A+y + P (u_T + S_k) + (A+A)(e2_k eps_k + n_k z_k),
 *       S_k = sum_{j<=k} (e2_j - e1_j) eps_j + n_j z_j        (a cumulative sum over rows)
 *     computed as A+y + base + (A+A)(R_k - base) with base = u_T + S_k, since P = I - A+A;
 *  3. F(X)_k = sqrt(abar_{s_k}) u_{s_k}.
 * Row k of F depends only on rows < k of X: the system is lower-triangular, so Picard iteration is
 * exact after T applications, and its fixed point is exactly the serial trajectory.
 *
 * With measurement noise (DDNM+, task.ddnmPlus) the range correction of step k mixes x0|t and y
 * with weights that differ per step and per singular direction, so step 2 uses the chain form
 * instead: F(X)_k = step_k(input_k, eps_k), every row one DDNM+ step of its own network input,
 * all rows batched through the same function as the serial chain (samplers/ddnmPlusStep.ts).
 * Row k still depends only on rows < k: the same triangular structure and the same fixed point.
 */
export interface DeqSystem {
  readonly rows: number;
  readonly stateShape: number[];
  /** F(X); does not dispose X. */
  map(X: tf.Tensor): tf.Tensor;
  /**
   * F for one solve, told by the solver loop which leading rows are final (FixedPointMap's
   * frozenRows): the eps of a row whose network input is final is kept, and the network runs only
   * on the other rows. `rowsEvaluated` counts the rows it ran (per image: the solve's NFE).
   */
  windowedMap(): WindowedMap;
  /**
   * F(X; xT, y) with the initial noise and the measurement as explicit, differentiable inputs
   * (for vector-Jacobian products with respect to xT and y). map(X) = mapWith(X, task xT, task y).
   */
  mapWith(X: tf.Tensor, xT: tf.Tensor, y: tf.Tensor): tf.Tensor;
  /**
   * A starting state. 'xT': every row x_T (the reference). 'ddim-pinv': the deterministic DDIM path
   * from x_T towards A+y with constant noise, x_{s_k} = sqrt(abar) A+y + sqrt(1-abar) eps_0 where
   * eps_0 = (x_T - sqrt(abar_T) A+y) / sqrt(1-abar_T): free (no network call) and closer.
   */
  initialState(kind?: InitKind): tf.Tensor;
  /** The x_0 row of a state, [B, H, W, C]. */
  x0Of(X: tf.Tensor): tf.Tensor4D;
  dispose(): void;
}

export interface WindowedMap {
  map: FixedPointMap;
  rowsEvaluated(): number;
  /** Per row of X, how far the x0 it implies (as the next row's network input) moved in the last call. */
  x0Change(): Promise<number[]>;
  dispose(): void;
}

export interface DeqSystemOptions {
  /** Evaluate eps in chunks of at most this many images (memory bound); results are identical. */
  chunkSize?: number;
  /**
   * 'cumsum' (default without measurement noise): every row rebuilt from x_T and the sum of all
   * earlier eps (the unrolled closed form). 'chain': row k is one serial step of row k-1 (DDNM+
   * always uses it). Same fixed point; Picard moves information one row per iteration in the chain
   * form and across all rows in the cumsum form (compared in the depth benchmark's variants).
   */
  form?: 'cumsum' | 'chain';
}

export function deqSystem(task: PreparedRestoration, options: DeqSystemOptions = {}): DeqSystem {
  const { model, operator: op, xT } = task.inputs;
  const c = task.coeffs;
  const { T } = c;
  const B = task.batch;
  const img = [...op.imageShape] as [number, number, number];
  const stateShape = [T, B, ...img];
  const col = (v: ArrayLike<number>) => tf.tensor(Float32Array.from(v), [T, 1, 1, 1, 1]);
  const tRows = c.t.flatMap((t) => new Array<number>(B).fill(t));
  // Constants, built once; tf.tidy keeps only each returned tensor.
  const noiseW =
    task.hasStepNoise && !task.ddnmPlus ?
      tf.tidy(() => tf.mul(col(c.n), tf.stack(c.t.map((_, j) => tf.broadcastTo(task.noiseAt(j)!, [B, ...img]))))) // n_j z_j
    : null;
  const constants = {
    xT5: tf.expandDims(xT, 0),
    uT: tf.tidy(() => tf.expandDims(tf.div(xT, c.sqrtAbarT[0]), 0)),
    Apy: tf.expandDims(task.Apy, 0),
    wCum: col(c.e2.map((e2, j) => e2 - c.e1[j])),
    wOwn: col(c.e2),
    sqrtAbarS: col(c.sqrtAbarS),
    // Cumulative sum over rows as a product with the lower-triangular ones matrix: tf.cumsum's
    // gradient is wrong for axis 0 of rank > 2 tensors in TF.js 4.22, and the product is as fast.
    lowerOnes: tf.tidy(() => tf.linalg.bandPart(tf.ones([T, T]), -1, 0)),
  };
  const chainForm = Boolean(task.ddnmPlus) || options.form === 'chain';
  // The chain form's constants: per-row x0|t coefficients, the step noise z_k and (plain DDNM) the step weights.
  const chain =
    chainForm ?
      {
        sqrtAbarT: col(c.sqrtAbarT),
        sqrtOneMinusAbarT: col(c.sqrtOneMinusAbarT),
        c1: col(c.c1),
        c2: col(c.c2),
        z: task.hasStepNoise ? tf.tidy(() => tf.stack(c.t.map((_, j) => tf.broadcastTo(task.noiseAt(j)!, [B, ...img])))) : null,
      }
    : null;
  const kept: tf.Tensor[] = [
    ...Object.values(constants),
    ...(noiseW ? [noiseW] : []),
    ...(chain ? [chain.sqrtAbarT, chain.sqrtOneMinusAbarT, chain.c1, chain.c2, ...(chain.z ? [chain.z] : [])] : []),
  ];
  const chunk = Math.max(1, Math.floor(options.chunkSize ?? T * B));

  // eps of every row; rows before `from` are taken from `known` ([from, B, ...img]) instead of the network.
  const epsAll = (inputs: tf.Tensor, from = 0, known?: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const first = from * B;
      const count = T * B - first;
      const flat = tf.reshape(inputs, [T * B, ...img]) as tf.Tensor4D;
      const slab = first === 0 ? flat : tf.slice(flat, [first, 0, 0, 0], [count, ...img]);
      const parts: tf.Tensor[] = from > 0 && known ? [tf.reshape(known, [first, ...img])] : [];
      for (let i = 0; i < count; i += chunk) {
        const n = Math.min(chunk, count - i);
        const part = n === count ? slab : tf.slice(slab, [i, 0, 0, 0], [n, ...img]);
        parts.push(model.eps(part as tf.Tensor4D, tRows.slice(first + i, first + i + n)));
      }
      return tf.reshape(parts.length === 1 ? parts[0] : tf.concat(parts, 0), stateShape);
    });

  // Rows of the state through a rank-2 view: TF.js WebGPU's rank-5 slice returns zeros inside a
  // gradient tape (seen in Chromium, TF.js 4.22); the rank-2 slice is right everywhere.
  const rows = (X: tf.Tensor, start: number, count: number) =>
    tf.reshape(tf.slice(tf.reshape(X, [T, -1]), [start, 0], [count, -1]), [count, B, ...img]);

  const project = (v: tf.Tensor) => tf.reshape(op.project(tf.reshape(v, [T * B, ...img])), stateShape);

  const networkInputs = (X: tf.Tensor, xT5: tf.Tensor) => (T === 1 ? xT5 : tf.concat([xT5, rows(X, 0, T - 1)], 0));

  const apply = (X: tf.Tensor, xT5: tf.Tensor, uT: tf.Tensor, Apy: tf.Tensor, given?: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const eps = given ?? epsAll(networkInputs(X, xT5));
      let cumTerm = tf.mul(constants.wCum, eps);
      let ownTerm = tf.mul(constants.wOwn, eps);
      if (noiseW) {
        cumTerm = tf.add(cumTerm, noiseW);
        ownTerm = tf.add(ownTerm, noiseW);
      }
      const base = tf.add(uT, tf.reshape(tf.matMul(constants.lowerOnes, tf.reshape(cumTerm, [T, -1])), stateShape));
      const u = tf.add(tf.add(Apy, base), project(tf.sub(ownTerm, base)));
      return tf.mul(constants.sqrtAbarS, u);
    });

  const applyChain = (X: tf.Tensor, xT5: tf.Tensor, yTerm: tf.Tensor, given?: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const inputs = networkInputs(X, xT5);
      const eps = given ?? epsAll(inputs);
      const x0 = tf.div(tf.sub(inputs, tf.mul(chain!.sqrtOneMinusAbarT, eps)), chain!.sqrtAbarT);
      if (task.ddnmPlus) return task.ddnmPlus.next(0, T, x0, eps, chain!.z, yTerm);
      // Plain DDNM, every row one serial step (samplers/serialChain.ts serialStep): yTerm = A+y.
      const x0Hat = tf.sub(tf.add(yTerm, x0), project(x0));
      const next = tf.add(tf.mul(constants.sqrtAbarS, x0Hat), tf.mul(chain!.c2, eps));
      return chain!.z ? tf.add(next, tf.mul(chain!.c1, chain!.z)) : next;
    });

  const mapGiven = (X: tf.Tensor, eps?: tf.Tensor) =>
    chainForm ?
      applyChain(X, constants.xT5, task.ddnmPlus ? task.yTerm : constants.Apy, eps)
    : apply(X, constants.xT5, constants.uT, constants.Apy, eps);

  const windowedMap = (): WindowedMap => {
    // eps of rows 0..kept-1, computed from network inputs (x_T, then rows of X) that are final.
    let known: tf.Tensor | null = null;
    let kept = 0;
    let evaluated = 0;
    let lastFrozen = 0;
    // The x0 each network input implies, (x − sqrt(1−ᾱ_t) eps) / sqrt(ᾱ_t), at the last call, and
    // per row the largest per-image RMS of its change since the call before (Infinity at first).
    const predScale = { a: col(c.sqrtAbarT), b: col(c.sqrtOneMinusAbarT) };
    let lastPred: tf.Tensor | null = null;
    let predChange: tf.Tensor | null = null;
    const map: FixedPointMap = (X, frozenRows = 0) => {
      if (frozenRows < lastFrozen)
        throw new ParameterError(`windowed map: frozen rows went back from ${lastFrozen} to ${frozenRows}`, 'frozenRows');
      lastFrozen = frozenRows;
      const { eps, pred } = tf.tidy(() => {
        const inputs = networkInputs(X, constants.xT5);
        const e = epsAll(inputs, kept, known ?? undefined);
        return { eps: e, pred: tf.div(tf.sub(inputs, tf.mul(predScale.b, e)), predScale.a) };
      });
      const change =
        lastPred ?
          tf.tidy(() => tf.max(tf.sqrt(tf.mean(tf.square(tf.reshape(tf.sub(pred, lastPred!), [T, B, -1])), 2)), 1))
        : tf.fill([T], Infinity);
      lastPred?.dispose();
      lastPred = pred;
      predChange?.dispose();
      predChange = change;
      evaluated += T - kept;
      // Row j's input is x_T (j = 0) or row j-1 of X: final for j <= frozenRows.
      const nextKept = Math.min(T, frozenRows + 1);
      if (nextKept > kept) {
        const next = tf.tidy(() => rows(eps, 0, nextKept));
        known?.dispose();
        known = next;
        kept = nextKept;
      }
      try {
        return mapGiven(X, eps);
      } finally {
        eps.dispose();
      }
    };
    // Row r of X is the input of row r + 1; x_0 (the last row) is no network input: judged through the rows before it.
    const x0Change = async (): Promise<number[]> => {
      const v = predChange ? await predChange.data() : new Float32Array(T).fill(Infinity);
      return Array.from({ length: T }, (_, r) => (r + 1 < T ? v[r + 1] : 0));
    };
    return {
      map,
      rowsEvaluated: () => evaluated,
      x0Change,
      dispose: () => [known, lastPred, predChange, predScale.a, predScale.b].forEach((t) => t?.dispose()),
    };
  };

  return {
    rows: T,
    stateShape,
    map: (X) => mapGiven(X),
    windowedMap,
    mapWith: (X, xTIn, yIn) =>
      tf.tidy(() =>
        chainForm ?
          applyChain(X, tf.expandDims(xTIn, 0), task.ddnmPlus ? task.ddnmPlus.measurementTerm(yIn) : tf.expandDims(op.Apinv(yIn), 0))
        : apply(X, tf.expandDims(xTIn, 0), tf.expandDims(tf.div(xTIn, c.sqrtAbarT[0]), 0), tf.expandDims(op.Apinv(yIn), 0)),
      ),
    initialState: (kind = 'xT') =>
      tf.tidy(() => {
        // Tiled as a rank-2 view: TF.js WebGPU runs rank-5 tile on the CPU with a synchronous read-back.
        if (kind === 'xT') return tf.reshape(tf.tile(tf.reshape(constants.xT5, [1, -1]), [T, 1]), stateShape);
        const a0 = c.sqrtAbarT[0];
        const eps0 = tf.div(tf.sub(constants.xT5, tf.mul(constants.Apy, a0)), Math.sqrt(1 - a0 * a0));
        const noiseScale = col(noiseScales(c));
        return tf.add(tf.mul(constants.sqrtAbarS, constants.Apy), tf.mul(noiseScale, eps0));
      }),
    x0Of: (X) => tf.tidy(() => tf.reshape(rows(X, T - 1, 1), [B, ...img]) as tf.Tensor4D),
    dispose: () => kept.forEach((v) => v.dispose()),
  };
}
