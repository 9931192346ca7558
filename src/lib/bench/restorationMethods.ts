import * as tf from '@tensorflow/tfjs-core';
import { deqRestore } from '../deq/deqRestore.js';
import type { InitKind } from '../deq/deqDefaults.js';
import type { SolverSettings } from '../deq/solvers/solverTypes.js';
import { optimizeInit } from '../gradients/initOptimization.js';
import { restorationLoss } from '../gradients/restorationLoss.js';
import type { EpsModel } from '../models/epsModel.js';
import type { LinearOperator } from '../operators/linearOperator.js';
import { prepareRestoration } from '../samplers/preparedRestoration.js';
import { ddrm } from '../samplers/ddrm.js';
import { serialChain } from '../samplers/serialChain.js';
import { maxAbsDiff } from '../metrics/vectorStats.js';
import { OwnedTensors } from '../tensors/ownedTensors.js';

/** What one benchmark cell hands a method: B images, their measurements and seeded noise. */
export interface MethodInputs {
  model: EpsModel;
  operator: LinearOperator;
  /** Ground truth [B, H, W, C]: only the oracle variant and the metrics read it. */
  x: tf.Tensor4D;
  y: tf.Tensor;
  sigmaY: number;
  /** Initial noise [B, H, W, C]. */
  xT: tf.Tensor4D;
  /** Per-step noise [T, B, H, W, C] for the first T steps (seeded per image, shared by methods). */
  noise(T: number): tf.Tensor;
  /** Called inside long loops so the caller can sample tf.memory(). */
  tick(): void;
}

/** Per image: iterations (sequential steps or solver iterations), NFE, depth, wall time. */
export interface MethodCost {
  iterations: number;
  nfe: number;
  sequentialDepth: number;
  wallMs: number;
  converged?: boolean;
  /** DeqIR only: max |x0 - serial x0| against the serial chain it solves for. */
  x0ErrorToSerial?: number;
}

export interface MethodOutput {
  x0: tf.Tensor4D;
  costs: MethodCost[];
}

export interface RestorationMethod {
  name: string;
  family: 'A+y' | 'DDNM' | 'DDRM' | 'DeqIR' | 'DeqIR + init-opt';
  T: number;
  /** True when the method reads the ground truth (an upper bound, not a method). */
  oracle: boolean;
  /** Rough network evaluations per image, for the progress ETA. */
  costEstimate: number;
  /** Run only on these cells and/or the first `images` images (costly methods in a sized run). */
  restrict?: { cells?: { preset: string; sigmaY: number }[]; images?: number };
  run(inp: MethodInputs): Promise<MethodOutput>;
}

export interface MethodSettings {
  /** Steps of the serial DDNM chains. */
  serialTs: number[];
  /** eta of serial DDNM (DDNM's default 0.85; 0 is DDIM, the chain DeqIR solves). */
  serialEtas: number[];
  ddrm: { T: number; eta: number; etaB: number } | null;
  deqT: number;
  /**
   * DeqIR solvers; `init` is the starting state; `eta` (default 0) solves the stochastic chain
   * (etw = nw = eta) with the cell's pre-sampled per-step noise, whose fixed point is that serial chain.
   */
  deq: { name: string; solver: SolverSettings; init: InitKind; eta?: number }[];
  /**
   * Initialization optimization (Adam on x_T, phantom gradient as the reference) on the listed
   * cells and the first `images` images only (each run costs about 60 serial chains); null: skip.
   */
  initOpt: { steps: number; lr: number; oracle: boolean; cells: { preset: string; sigmaY: number }[]; images: number } | null;
  /**
   * Per-image methods (DeqIR, initialization optimization) and the serial chains at other T than
   * deqT run on the first `subsetImages` images only; null: all. A+y, DDRM and the serial chains at
   * deqT (one batched chain for all images: cheap) restore every image, so every paired difference
   * to the reference has all the images the other method restored.
   */
  subsetImages: number | null;
  /** Cells (sigma_y > 0) where plain DDNM (no noise handling) runs too, for comparison with DDNM+. */
  plainDdnmCells: { preset: string; sigmaY: number }[];
}

/** The method every other is compared with, image by image: the serial chain DeqIR converges to. */
export const referenceMethodName = (s: Pick<MethodSettings, 'deqT'>) => serialName(s.deqT, 0);
const serialName = (T: number, eta: number, plain = false) => `DDNM${plain ? ' (plain, no noise handling)' : ''} serial T=${T} η=${eta}`;
export const deqMethodName = (d: Pick<MethodSettings['deq'][number], 'name'>, T: number) => `DeqIR ${d.name} T=${T}`;
export const ddrmMethodName = ({ T, eta, etaB }: NonNullable<MethodSettings['ddrm']>) => `DDRM serial T=${T} η=${eta} η_b=${etaB}`;

/**
 * Each DeqIR method's own serial chain: DDNM at the DeqIR T with the method's eta and the cell's
 * noise, the chain its fixed point equals. Paired against it, a DeqIR method's difference measures
 * the solver alone; against the eta = 0 reference it also measures what eta changes.
 */
export const serialChainOf = (s: Pick<MethodSettings, 'deqT' | 'deq'>): Map<string, string> =>
  new Map(s.deq.map((d) => [deqMethodName(d, s.deqT), serialName(s.deqT, d.eta ?? 0)]));

const batchCosts = (B: number, T: number, wallMs: number): MethodCost[] =>
  Array.from({ length: B }, () => ({ iterations: T, nfe: T, sequentialDepth: T, wallMs: wallMs / B }));

/** Image b of a batch, [1, ...]. */
const pick = (t: tf.Tensor, b: number) => tf.slice(t, [b], [1]);

/** Runs `one` per image (iteration counts are per restoration) and stacks the x0s. */
async function perImage(inp: MethodInputs, one: (b: number) => Promise<{ x0: tf.Tensor4D; cost: MethodCost }>): Promise<MethodOutput> {
  const x0s: tf.Tensor4D[] = [];
  const costs: MethodCost[] = [];
  try {
    for (let b = 0; b < inp.x.shape[0]; b++) {
      const r = await one(b);
      x0s.push(r.x0);
      costs.push(r.cost);
    }
    return { x0: tf.concat(x0s, 0), costs };
  } finally {
    tf.dispose(x0s);
  }
}

/**
 * Image b's restoration task at T steps with DDNM's eta (etw = nw = eta; for eta > 0 image b's
 * rows [T, 1, H, W, C] of the cell's per-step noise `noise`), its inputs and the task kept in `owned`.
 */
function imageTask(inp: MethodInputs, b: number, T: number, eta: number, noise: tf.Tensor | undefined, owned: OwnedTensors) {
  const y = owned.keep(pick(inp.y, b));
  const xT = owned.keep(pick(inp.xT, b) as tf.Tensor4D);
  const z = eta > 0 && noise ? owned.keep(tf.slice(noise, [0, b], [-1, 1])) : undefined;
  return owned.keep(
    prepareRestoration({ model: inp.model, operator: inp.operator, y, xT, z, sampling: { T, etw: eta, nw: eta }, sigmaY: inp.sigmaY }),
  );
}

/** The serial DDNM(+) chain of one image, which a DeqIR solver with the same eta converges to. */
async function serialReference(inp: MethodInputs, b: number, T: number, eta: number, noise: tf.Tensor | undefined): Promise<Float32Array> {
  const owned = new OwnedTensors();
  try {
    const r = await serialChain(imageTask(inp, b, T, eta, noise, owned));
    owned.keep(r.x0);
    return (await r.x0.data()) as Float32Array;
  } finally {
    owned.dispose();
  }
}

/** The benchmark's methods, in table order. */
export function restorationMethods(s: MethodSettings): RestorationMethod[] {
  const methods: RestorationMethod[] = [
    {
      name: 'A+y',
      family: 'A+y',
      T: 0,
      oracle: false,
      costEstimate: 0,
      run: async (inp) => {
        const start = performance.now();
        const x0 = inp.operator.Apinv(inp.y);
        await x0.data();
        return { x0, costs: batchCosts(inp.x.shape[0], 0, performance.now() - start) };
      },
    },
  ];
  const subset = s.subsetImages === null ? {} : { images: s.subsetImages };
  const serial = (T: number, eta: number, plain: boolean): RestorationMethod => ({
    name: serialName(T, eta, plain),
    family: 'DDNM',
    T,
    oracle: false,
    costEstimate: T,
    ...(plain ? { restrict: { cells: s.plainDdnmCells, ...subset } }
    : T === s.deqT ? {}
    : { restrict: subset }),
    run: async (inp) => {
      const owned = new OwnedTensors();
      try {
        const z = eta > 0 ? owned.keep(inp.noise(T)) : undefined;
        const task = owned.keep(
          prepareRestoration({
            model: inp.model,
            operator: inp.operator,
            y: inp.y,
            xT: inp.xT,
            z,
            sampling: { T, etw: eta, nw: eta },
            sigmaY: inp.sigmaY,
            rangeCorrection: plain ? 'ddnm' : 'ddnm+',
          }),
        );
        const r = await serialChain(task, { onStep: inp.tick });
        return { x0: r.x0, costs: batchCosts(inp.x.shape[0], T, r.wallMs) };
      } finally {
        owned.dispose();
      }
    },
  });
  for (const T of s.serialTs) for (const eta of s.serialEtas) methods.push(serial(T, eta, false));
  if (s.plainDdnmCells.length) methods.push(serial(s.deqT, 0, true));
  if (s.ddrm) {
    const { T, eta, etaB } = s.ddrm;
    methods.push({
      name: ddrmMethodName({ T, eta, etaB }),
      family: 'DDRM',
      T,
      oracle: false,
      costEstimate: T,
      run: async (inp) => {
        const z = inp.noise(T);
        try {
          const r = await ddrm({ model: inp.model, operator: inp.operator, y: inp.y, xT: inp.xT, z, T, sigmaY: inp.sigmaY, eta, etaB });
          return { x0: r.x0, costs: batchCosts(inp.x.shape[0], T, r.wallMs) };
        } finally {
          z.dispose();
        }
      },
    });
  }
  const T = s.deqT;
  for (const d of s.deq) {
    methods.push({
      name: deqMethodName(d, T),
      family: 'DeqIR',
      T,
      oracle: false,
      costEstimate: T * (d.solver.maxIter ?? T) * 0.8 + T,
      restrict: subset,
      run: async (inp) => {
        const eta = d.eta ?? 0;
        // The cell's per-step noise, made once for all images (each image takes its own rows).
        const noise = eta > 0 ? inp.noise(T) : undefined;
        try {
          return await perImage(inp, async (b) => {
            const ref = await serialReference(inp, b, T, eta, noise);
            const owned = new OwnedTensors();
            try {
              const r = await deqRestore(
                imageTask(inp, b, T, eta, noise, owned),
                { ...d.solver, onIteration: () => void inp.tick() },
                { init: d.init },
              );
              let err: number;
              try {
                err = maxAbsDiff(await r.x0.data(), ref);
              } catch (e) {
                r.x0.dispose();
                throw e;
              }
              return {
                x0: r.x0,
                cost: {
                  iterations: r.iterations,
                  nfe: r.nfe,
                  sequentialDepth: r.sequentialDepth,
                  wallMs: r.wallMs,
                  converged: r.converged,
                  x0ErrorToSerial: err,
                },
              };
            } finally {
              owned.dispose();
            }
          });
        } finally {
          noise?.dispose();
        }
      },
    });
  }
  if (s.initOpt) {
    const { steps, lr } = s.initOpt;
    const guides = s.initOpt.oracle ? (['A+y', 'oracle'] as const) : (['A+y'] as const);
    for (const guide of guides) {
      methods.push({
        name: guide === 'A+y' ? `DeqIR + init-opt (guide A+y) T=${T}` : `DeqIR + init-opt (oracle: ground-truth guide, upper bound) T=${T}`,
        family: 'DeqIR + init-opt',
        T,
        oracle: guide === 'oracle',
        costEstimate: (steps + 1) * 4 * T * 1.5,
        restrict: { cells: s.initOpt.cells, images: s.initOpt.images },
        run: (inp) =>
          perImage(inp, async (b) => {
            const owned = new OwnedTensors();
            try {
              const y = owned.keep(pick(inp.y, b));
              const xT = owned.keep(pick(inp.xT, b) as tf.Tensor4D);
              const target = owned.keep(guide === 'A+y' ? inp.operator.Apinv(y) : pick(inp.x, b));
              const loss = owned.keep(restorationLoss({ kind: 'guide', guide: (await target.data()) as Float32Array }, inp.operator, 1));
              const start = performance.now();
              const r = await optimizeInit({ model: inp.model, operator: inp.operator, y, xT, sampling: { T }, sigmaY: inp.sigmaY }, loss, {
                lr,
                steps,
                method: 'phantom',
                phantomSteps: 1,
                phantomTau: 0.1,
                onStep: () => void inp.tick(),
              });
              r.xT.dispose();
              // Each step: a warm-started forward solve, then one phantom step (a map and its VJP, 3 T-batches).
              const fwd = r.history.reduce((a, h) => a + h.forwardIterations, 0);
              const n = r.history.length;
              return {
                x0: r.x0,
                cost: { iterations: fwd, nfe: fwd * T + 3 * T * n, sequentialDepth: fwd + 2 * n, wallMs: performance.now() - start },
              };
            } finally {
              owned.dispose();
            }
          }),
      });
    }
  }
  return methods;
}
