import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { deqSystem } from '../src/lib/deq/deqSystem.js';
import { gaussianMixturePrior } from '../src/lib/models/gaussianMixturePrior.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { measure } from '../src/lib/operators/measure.js';
import { uniformStream } from '../src/lib/random/prng.js';
import { prepareRestoration, type RestorationInputs } from '../src/lib/samplers/preparedRestoration.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { OPERATOR_CASES, randomImages, schedule, testPrior } from './support/fixtures.js';
import { maxAbsDiff } from './support/tfSetup.js';

/** Builds inputs for one restoration problem; returns them with a disposer. */
function problem(caseIndex: number, sigmaY: number, extra: Partial<RestorationInputs> = {}) {
  const { spec, shape } = OPERATOR_CASES[caseIndex];
  const model = testPrior(shape);
  const operator = createOperator(spec, shape);
  const xTrue = tf.tidy(() => tf.tanh(randomImages(1, shape, 21, 0.7))) as tf.Tensor4D;
  const y = measure(operator, xTrue, sigmaY, 22);
  const xT = randomImages(1, shape, 23) as tf.Tensor4D;
  const inputs: RestorationInputs = { model, operator, y, xT, sampling: { T: 10 }, ...extra };
  return {
    inputs,
    dispose: () => {
      [xTrue, y, xT].forEach((t) => t.dispose());
      operator.dispose();
      model.dispose?.();
    },
  };
}

async function compare(inputs: RestorationInputs, T: number, etw: number, noiseAwareSigmaY = 0) {
  const task = prepareRestoration({ ...inputs, sampling: { T, etw }, sigmaY: noiseAwareSigmaY });
  expect(task.ddnmPlus !== null).toBe(noiseAwareSigmaY > 0);
  const serial = await serialChain(task);
  const deq = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: T });
  const err = maxAbsDiff(await serial.x0.data(), await deq.x0.data());
  const consistency = tf.tidy(() => {
    const r = tf.sub(inputs.operator.A(deq.x0), inputs.y);
    return tf.norm(r).dataSync()[0] / tf.norm(inputs.y).dataSync()[0];
  });
  serial.x0.dispose();
  deq.x0.dispose();
  task.dispose();
  return { err, consistency, iterations: deq.iterations, stoppedBy: deq.stoppedBy, converged: deq.converged };
}

describe.each(OPERATOR_CASES.map((c, i) => ({ ...c, i })))('fixed point equals serial chain: $name', ({ i }) => {
  it.each([
    { T: 10, etw: 0, sigmaY: 0, ddnmPlus: false },
    { T: 10, etw: 0.1, sigmaY: 0, ddnmPlus: false },
    { T: 10, etw: 0, sigmaY: 0.05, ddnmPlus: false },
    { T: 10, etw: 0.1, sigmaY: 0.05, ddnmPlus: false },
    { T: 50, etw: 0, sigmaY: 0, ddnmPlus: false },
    { T: 50, etw: 0.1, sigmaY: 0, ddnmPlus: false },
    { T: 50, etw: 0, sigmaY: 0.05, ddnmPlus: false },
    { T: 50, etw: 0.1, sigmaY: 0.05, ddnmPlus: false },
    // DDNM+ (the task knows sigma_y): the noise-aware step, lambda_t < 1 in the late steps.
    { T: 10, etw: 0, sigmaY: 0.05, ddnmPlus: true },
    { T: 10, etw: 0.1, sigmaY: 0.1, ddnmPlus: true },
    { T: 50, etw: 0, sigmaY: 0.1, ddnmPlus: true },
    { T: 50, etw: 0.1, sigmaY: 0.05, ddnmPlus: true },
  ])(
    'T = $T, etw = $etw, sigma_y = $sigmaY, DDNM+ $ddnmPlus: Picard after T iterations matches to 1e-4 and reports itself exact',
    async ({ T, etw, sigmaY, ddnmPlus }) => {
      const p = problem(i, sigmaY);
      const before = tf.memory().numTensors;
      const { err, consistency, iterations, stoppedBy, converged } = await compare(p.inputs, T, etw, ddnmPlus ? sigmaY : 0);
      expect(tf.memory().numTensors).toBe(before);
      p.dispose();
      expect(iterations).toBe(T);
      // tol 0 is never met: the run ends because Picard is exact after T iterations, and says so.
      expect({ stoppedBy, converged }).toEqual({ stoppedBy: 'exact', converged: true });
      expect(err).toBeLessThanOrEqual(1e-4);
      // A x0 = y holds at float precision when y is noise-free (the last step returns x0^ = A+y + P(.)).
      if (sigmaY === 0) expect(consistency).toBeLessThan(2e-5);
    },
  );
});

describe('the joint system is lower-triangular', () => {
  it('after i Picard iterations the first i states equal the serial trajectory', async () => {
    const p = problem(0, 0);
    const T = 12;
    const task = prepareRestoration({ ...p.inputs, sampling: { T } });
    const serial = await serialChain(task, { keepTrajectory: true });
    const serialNext = [...serial.trajectory!.x.slice(1), await serial.x0.data()]; // x_{s_k}, k = 1..T
    const exactRows: number[] = [];
    await deqRestore(task, {
      kind: 'picard',
      tol: 0,
      maxIter: T,
      onIteration: async (rec, { fx }) => {
        const rows = (await fx.data()) as Float32Array;
        const D = rows.length / T;
        let exact = 0;
        while (exact < T && maxAbsDiff(rows.subarray(exact * D, (exact + 1) * D), serialNext[exact]) < 1e-4) exact++;
        exactRows.push(exact);
      },
    }).then((r) => r.x0.dispose());
    // F applied i times fixes at least i rows; with every row started at x_T none is right by luck.
    exactRows.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(i + 1));
    expect(exactRows[0]).toBe(1);
    serial.x0.dispose();
    task.dispose();
    p.dispose();
  });

  it.each([
    { name: 'damped Picard (beta = 0.5)', solver: { kind: 'picard', beta: 0.5 } },
    { name: 'plain (non-triangular) Anderson', solver: { kind: 'anderson', m: 3 } },
    { name: 'per-row Anderson', solver: { kind: 'anderson-per-row', m: 3 } },
  ] as const)('$name makes no exactness claim: with tol 0 it stops at maxIter, unconverged', async ({ solver }) => {
    const p = problem(0, 0);
    const T = 6;
    const task = prepareRestoration({ ...p.inputs, sampling: { T } });
    const r = await deqRestore(task, { ...solver, tol: 0, maxIter: T + 2 });
    r.x0.dispose();
    task.dispose();
    p.dispose();
    expect({ stoppedBy: r.stoppedBy, converged: r.converged, iterations: r.iterations }).toEqual({
      stoppedBy: 'maxIter',
      converged: false,
      iterations: T + 2,
    });
  });
});

describe('solver options that exploit the triangular structure stay exact', () => {
  it.each([
    { name: 'triangular Anderson', solver: { kind: 'anderson', triangular: true, m: 3 } as const, init: 'xT' as const },
    { name: 'triangular per-row Anderson', solver: { kind: 'anderson-per-row', triangular: true } as const, init: 'xT' as const },
    { name: 'Picard from the DDIM-pinv start', solver: { kind: 'picard' } as const, init: 'ddim-pinv' as const },
    { name: 'ParaTAA triangular Anderson from the DDIM-pinv start', solver: { kind: 'taa', m: 3 } as const, init: 'ddim-pinv' as const },
    { name: 'ParaTAA damped (beta 0.8)', solver: { kind: 'taa', m: 3, beta: 0.8 } as const, init: 'ddim-pinv' as const },
    {
      name: 'damped Picard with exact rows undamped',
      solver: { kind: 'picard', beta: 0.8, triangular: true } as const,
      init: 'ddim-pinv' as const,
    },
  ])('$name is exact after at most T iterations', async ({ solver, init }) => {
    const p = problem(4, 0.05);
    const T = 30;
    const task = prepareRestoration({ ...p.inputs, sampling: { T, etw: 0.1 } });
    const s = await serialChain(task);
    const d = await deqRestore(task, { ...solver, tol: 0, maxIter: T }, { init });
    const err = maxAbsDiff(await s.x0.data(), await d.x0.data());
    [s.x0, d.x0].forEach((t) => t.dispose());
    task.dispose();
    p.dispose();
    expect(err).toBeLessThanOrEqual(1e-4);
  });
});

describe('the chain form of the map (row k = one serial step of row k-1)', () => {
  const cases = [
    ...OPERATOR_CASES.map((c, i) => ({ name: `${c.name}, deterministic`, i, sampling: { etw: 0.1 }, stochastic: false })),
    { name: `${OPERATOR_CASES[1].name}, one z at every step (eta 0.85)`, i: 1, sampling: { etw: 0.85, nw: 0.85 }, stochastic: true },
  ];
  it.each(cases)('$name: Picard on it is exact after T iterations (the serial chain)', async ({ i, sampling, stochastic }) => {
    const T = 12;
    const z = stochastic ? randomImages(1, OPERATOR_CASES[i].shape, 5) : undefined;
    const p = problem(i, 0.05, z ? { z } : {});
    const task = prepareRestoration({ ...p.inputs, sampling: { T, ...sampling } });
    const s = await serialChain(task);
    const chain = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: T }, { form: 'chain', init: 'ddim-pinv' });
    const err = maxAbsDiff(await s.x0.data(), await chain.x0.data());
    [s.x0, chain.x0].forEach((t) => t.dispose());
    task.dispose();
    p.dispose();
    z?.dispose();
    expect(err).toBeLessThanOrEqual(1e-4);
  });
});

describe('stochastic settings keep a fixed point', () => {
  it.each([
    { mode: 'one z reused at every step (reference)', perStep: false },
    { mode: 'noise pre-sampled per step (ParaDiGMS)', perStep: true },
  ])('DDNM eta = 0.85 with $mode', async ({ perStep }) => {
    const T = 20;
    const shape = OPERATOR_CASES[2].shape;
    const z = randomImages(perStep ? T : 1, perStep ? [1, ...shape] : shape, 31);
    const p = problem(2, 0.05, { z });
    const before = tf.memory().numTensors;
    const { err } = await (async () => {
      const task = prepareRestoration({ ...p.inputs, sampling: { T, etw: 0.85, nw: 0.85 } });
      const s = await serialChain(task);
      const d = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: T });
      const e = maxAbsDiff(await s.x0.data(), await d.x0.data());
      [s.x0, d.x0].forEach((t) => t.dispose());
      task.dispose();
      return { err: e };
    })();
    expect(tf.memory().numTensors).toBe(before); // per-step noise once leaked an image per deqSystem
    z.dispose();
    p.dispose();
    expect(err).toBeLessThanOrEqual(1e-4);
  });
});

describe('a nonlinear exact prior (Gaussian mixture)', () => {
  const shape = [6, 10, 1] as const;
  const u = uniformStream(5);
  const mixture = gaussianMixturePrior(
    schedule,
    shape,
    [0.5, 0.3, 0.2].map((weight) => ({ weight, mean: Array.from({ length: 60 }, () => u() - 0.5), variance: 0.05 })),
  );
  afterAll(() => mixture.dispose?.());

  it.each(['picard', 'anderson', 'anderson-per-row'] as const)('%s reaches the serial chain at T = 20', async (kind) => {
    const p = problem(0, 0.05, { model: mixture });
    const task = prepareRestoration({ ...p.inputs, sampling: { T: 20 } });
    const s = await serialChain(task);
    const d = await deqRestore(task, { kind, tol: 1e-5, maxIter: 60 });
    const err = maxAbsDiff(await s.x0.data(), await d.x0.data());
    [s.x0, d.x0].forEach((t) => t.dispose());
    task.dispose();
    p.dispose();
    expect(err).toBeLessThanOrEqual(1e-3);
  });
});

describe('batched evaluation', () => {
  it('evaluating eps in chunks gives identical results', async () => {
    const p = problem(4, 0);
    const task = prepareRestoration({ ...p.inputs, sampling: { T: 10 } });
    const sys = deqSystem(task);
    const chunked = deqSystem(task, { chunkSize: 3 });
    tf.tidy(() => {
      const Y = randomImages(10, [1, ...p.inputs.operator.imageShape], 3);
      expect(maxAbsDiff(sys.map(Y).dataSync(), chunked.map(Y).dataSync())).toBe(0);
    });
    sys.dispose();
    chunked.dispose();
    task.dispose();
    p.dispose();
  });
  it('restoring a batch of images equals restoring each alone', async () => {
    const { shape, spec } = OPERATOR_CASES[0];
    const model = testPrior(shape);
    const operator = createOperator(spec, shape);
    const xs = randomImages(3, shape, 41) as tf.Tensor4D;
    const y = operator.A(xs);
    const xT = randomImages(3, shape, 42) as tf.Tensor4D;
    const batched = await deqRestore(prepareRestoration({ model, operator, y, xT, sampling: { T: 8 } }), {
      kind: 'picard',
      tol: 0,
      maxIter: 8,
    });
    const all = await batched.x0.data();
    for (let b = 0; b < 3; b++) {
      const one = tf.tidy(() => [tf.slice(y, [b], [1]), tf.slice(xT, [b], [1]) as tf.Tensor4D] as const);
      const task = prepareRestoration({ model, operator, y: one[0], xT: one[1], sampling: { T: 8 } });
      const r = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: 8 });
      const D = all.length / 3;
      expect(maxAbsDiff(all.subarray(b * D, (b + 1) * D), await r.x0.data())).toBeLessThan(1e-5);
      [r.x0, ...one].forEach((t) => t.dispose());
      task.dispose();
    }
    [xs, y, xT, batched.x0].forEach((t) => t.dispose());
    operator.dispose();
    model.dispose?.();
  });
});
