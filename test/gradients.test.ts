import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { optimizeInit } from '../src/lib/gradients/initOptimization.js';
import { restorationGradient, type GradientOptions } from '../src/lib/gradients/restorationGradient.js';
import { restorationLoss, type LossSpec } from '../src/lib/gradients/restorationLoss.js';
import type { EpsModel } from '../src/lib/models/epsModel.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { measure } from '../src/lib/operators/measure.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { prepareRestoration, type PreparedRestoration } from '../src/lib/samplers/preparedRestoration.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { cosineSimilarity as cosine, relativeL2 as relL2 } from '../src/lib/metrics/vectorStats.js';
import { expectFreedOnEveryFailure } from './support/failingModel.js';
import { caseProblem, OPERATOR_CASES, randomImages, testPrior } from './support/fixtures.js';
import { expectNoLeak } from './support/tfSetup.js';

/** A restoration task on case i with a weighted-sum + consistency loss (so dL/dy has a direct part). */
function setup(i: number, T = 10, model?: EpsModel, noiseAwareSigmaY = 0) {
  const { spec, shape } = OPERATOR_CASES[i];
  const prior = model ?? testPrior(shape);
  const operator = createOperator(spec, shape);
  const x = tf.tidy(() => tf.tanh(randomImages(1, shape, 61))) as tf.Tensor4D;
  const y = measure(operator, x, 0.05, 62);
  const xT = randomImages(1, shape, 63) as tf.Tensor4D;
  const task = prepareRestoration({ model: prior, operator, y, xT, sampling: { T, etw: 0.1 }, sigmaY: noiseAwareSigmaY });
  const D = shape[0] * shape[1] * shape[2];
  const lossSpec: LossSpec = {
    kind: 'sum',
    terms: [
      { weight: 1, loss: { kind: 'weighted-sum', weights: gaussianArray(D, 64) } },
      { weight: 0.1, loss: { kind: 'consistency' } },
    ],
  };
  const loss = restorationLoss(lossSpec, operator, 1);
  return {
    task,
    loss,
    operator,
    shape,
    dispose: () => {
      loss.dispose();
      task.dispose();
      [x, y, xT].forEach((t) => t.dispose());
      operator.dispose();
      if (!model) prior.dispose?.();
    },
  };
}

async function grads(task: PreparedRestoration, loss: ReturnType<typeof restorationLoss>, opts: GradientOptions) {
  const r = await restorationGradient(task, loss, opts);
  const out = { dxT: await r.dxT.data(), dy: await r.dy.data(), loss: r.loss, r };
  [r.x0, r.dxT, r.dy].forEach((t) => t.dispose());
  return out;
}

describe.each(OPERATOR_CASES.map((c, i) => ({ ...c, i })))('implicit gradient equals serial back-propagation: $name', ({ i }) => {
  it('T = 10, Gaussian prior: dL/dxT and dL/dy agree to relative L2 1e-3', async () => {
    const s = setup(i);
    const implicit = await grads(s.task, s.loss, { method: 'implicit' });
    const serial = await grads(s.task, s.loss, { method: 'serial' });
    s.dispose();
    expect(relL2(implicit.dxT, serial.dxT)).toBeLessThanOrEqual(1e-3);
    expect(relL2(implicit.dy, serial.dy)).toBeLessThanOrEqual(1e-3);
  });

  it('T = 10, DDNM+ at sigma_y = 0.05 (the noise-aware step, lambda_t < 1 late): dL/dxT and dL/dy agree to relative L2 1e-3', async () => {
    const s = setup(i, 10, undefined, 0.05);
    expect(s.task.ddnmPlus).not.toBeNull();
    const implicit = await grads(s.task, s.loss, { method: 'implicit' });
    const serial = await grads(s.task, s.loss, { method: 'serial' });
    s.dispose();
    expect(relL2(implicit.dxT, serial.dxT)).toBeLessThanOrEqual(1e-3);
    expect(relL2(implicit.dy, serial.dy)).toBeLessThanOrEqual(1e-3);
    expect(implicit.loss).toBeCloseTo(serial.loss, 3);
    expect(implicit.r.adjointIterations).toBeLessThanOrEqual(10);
  });
});

describe('gradients are true derivatives', () => {
  it.each([0, 4, 8, 12])('finite differences along random directions agree (operator case %i)', async (i) => {
    const s = setup(i);
    const { dxT, dy } = await grads(s.task, s.loss, { method: 'implicit' });
    const { xT, y } = s.task.inputs;
    const lossAt = async (xTp: tf.Tensor4D, yp: tf.Tensor) => {
      const t = prepareRestoration({ ...s.task.inputs, xT: xTp, y: yp });
      const r = await serialChain(t);
      const v = tf.tidy(() => s.loss.value(r.x0, yp).dataSync()[0]);
      r.x0.dispose();
      t.dispose();
      return v;
    };
    for (const [which, grad, base] of [
      ['xT', dxT, xT],
      ['y', dy, y],
    ] as const) {
      const v = randomImages(1, base.shape.slice(1), which === 'xT' ? 71 : 72);
      const h = 1e-2;
      const plus = tf.tidy(() => tf.add(base, tf.mul(v, h)));
      const minus = tf.tidy(() => tf.sub(base, tf.mul(v, h)));
      const fd =
        which === 'xT' ?
          ((await lossAt(plus as tf.Tensor4D, y)) - (await lossAt(minus as tf.Tensor4D, y))) / (2 * h)
        : ((await lossAt(xT, plus)) - (await lossAt(xT, minus))) / (2 * h);
      const vd = v.dataSync();
      const analytic = Array.from(grad).reduce((a, g, k) => a + g * vd[k], 0);
      [v, plus, minus].forEach((t) => t.dispose());
      expect(Math.abs(fd - analytic) / Math.max(Math.abs(analytic), 1e-3)).toBeLessThanOrEqual(1e-2);
    }
    s.dispose();
  });

  it('the phantom gradient with tau = 1 and k = T steps is the exact gradient (nilpotent Jacobian)', async () => {
    const s = setup(0);
    const implicit = await grads(s.task, s.loss, { method: 'implicit' });
    const phantom = await grads(s.task, s.loss, { method: 'phantom', phantomSteps: 10, phantomTau: 1 });
    s.dispose();
    expect(relL2(phantom.dxT, implicit.dxT)).toBeLessThanOrEqual(1e-3);
    expect(relL2(phantom.dy, implicit.dy)).toBeLessThanOrEqual(1e-3);
  });

  it('a one-step phantom gradient (tau = 0.1) points the right way (cosine to the exact gradient above 0.99 for dL/dy, 0.95 for dL/dxT) but is far from exact (relative error above 0.5)', async () => {
    const s = setup(4);
    const implicit = await grads(s.task, s.loss, { method: 'implicit' });
    const phantom = await grads(s.task, s.loss, { method: 'phantom', phantomSteps: 1, phantomTau: 0.1 });
    s.dispose();
    // Measured (cpu): cosines 0.9966 (dy) and 0.9777 (dxT); relative L2 errors 0.89 (dy) and 9.3 (dxT).
    expect(cosine(phantom.dy, implicit.dy)).toBeGreaterThan(0.99);
    expect(cosine(phantom.dxT, implicit.dxT)).toBeGreaterThan(0.95);
    expect(relL2(phantom.dy, implicit.dy)).toBeGreaterThan(0.5);
    expect(relL2(phantom.dxT, implicit.dxT)).toBeGreaterThan(0.5);
  });

  it.each(['implicit', 'phantom', 'serial'] as const)('%s leaves no tensor behind', async (method) => {
    const s = setup(2);
    await expectNoLeak(
      () => restorationGradient(s.task, s.loss, { method }),
      (r) => [r.x0, r.dxT, r.dy].forEach((t) => t.dispose()),
    );
    s.dispose();
  });
});

describe('gradients release their memory when the model fails', () => {
  // Whichever eps call fails: forward solve, adjoint, dL/dp.
  it.each<GradientOptions>([
    { method: 'implicit', keepState: true },
    { method: 'phantom', phantomSteps: 2, keepState: true },
    { method: 'serial' },
  ])('$method: no tensor left behind whichever eps call fails', async (opts) => {
    const prior = testPrior(OPERATOR_CASES[4].shape);
    await expectFreedOnEveryFailure(
      prior,
      async (model) => {
        const s = setup(4, 4, model);
        try {
          const r = await restorationGradient(s.task, s.loss, opts);
          [r.x0, r.dxT, r.dy, r.state].forEach((t) => t?.dispose());
        } finally {
          s.dispose();
        }
      },
      5,
    );
    prior.dispose?.();
  });
});

/** Case 4's operator, a clean image x, its measurement y, an x_T and a guide loss pulling x0 to x. */
function guideProblem(seed: number) {
  const p = caseProblem(OPERATOR_CASES[4], 1, seed);
  const guide = restorationLoss({ kind: 'guide', guide: p.x.dataSync() }, p.operator, 1);
  return {
    ...p,
    guide,
    dispose: () => {
      guide.dispose();
      p.dispose();
    },
  };
}

describe('initialization optimization', () => {
  it('Adam on xT lowers a guide loss, warm-starting every forward solve, and leaks nothing', async () => {
    const p = guideProblem(81);
    const { prior: model, operator, x, y, xT, guide } = p;
    const before = tf.memory().numTensors;
    const res = await optimizeInit({ model, operator, y, xT, sampling: { T: 10 } }, guide, {
      lr: 0.05,
      steps: 15,
      groundTruth: x,
      keepImagesEvery: 5,
    });
    expect(res.history).toHaveLength(16);
    expect(res.history.at(-1)!.loss).toBeLessThan(0.8 * res.history[0].loss);
    expect(res.history.at(-1)!.psnr!).toBeGreaterThan(res.history[0].psnr!);
    expect(res.history.at(-1)!.forwardIterations).toBeLessThanOrEqual(res.history[0].forwardIterations);
    expect(res.images.map((i) => i.step)).toEqual([0, 5, 10, 15]);
    [res.xT, res.x0].forEach((t) => t.dispose());
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
  it('leaves no tensor behind when the model fails at any step, or a step callback throws', async () => {
    const p = guideProblem(86);
    const { prior, operator, x, y, xT, guide } = p;
    const run = (model: EpsModel, onStep?: () => void) =>
      optimizeInit({ model, operator, y, xT, sampling: { T: 4 } }, guide, { lr: 0.05, steps: 2, groundTruth: x, onStep });
    await expectFreedOnEveryFailure(prior, async (model) => {
      const r = await run(model);
      [r.xT, r.x0].forEach((t) => t.dispose());
    });
    const before = tf.memory().numTensors;
    await expect(
      run(prior, () => {
        throw new Error('step callback failed');
      }),
    ).rejects.toThrow('step callback failed');
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });
  it('with the reference step size (2e-5) each warm-started forward solve needs far fewer than T iterations', async () => {
    const p = caseProblem(OPERATOR_CASES[4], 1, 84);
    const guide = restorationLoss({ kind: 'consistency' }, p.operator, 1);
    const res = await optimizeInit({ model: p.prior, operator: p.operator, y: p.y, xT: p.xT, sampling: { T: 20 } }, guide, {
      lr: 2e-5,
      steps: 3,
    });
    expect(res.history[0].forwardIterations).toBeGreaterThanOrEqual(15);
    res.history.slice(1).forEach((h) => expect(h.forwardIterations).toBeLessThanOrEqual(5));
    [res.xT, res.x0].forEach((t) => t.dispose());
    guide.dispose();
    p.dispose();
  });
  it('stops cleanly, returning the last finite iterate, when the loss becomes NaN', async () => {
    const { spec, shape } = OPERATOR_CASES[0];
    const model = testPrior(shape);
    const operator = createOperator(spec, shape);
    const xT = randomImages(1, shape, 83) as tf.Tensor4D;
    const y = operator.A(xT);
    let calls = 0;
    const exploding = {
      readsY: false,
      value: (x0: tf.Tensor4D) => tf.tidy(() => (calls++ < 3 ? tf.sum(x0) : tf.div(tf.sum(x0), 0).mul(0))) as tf.Scalar,
      dispose: () => {},
    };
    const res = await optimizeInit({ model, operator, y, xT, sampling: { T: 5 } }, exploding, { lr: 1e-2, steps: 10, method: 'phantom' });
    expect(res.stoppedBy).toBe('nan');
    expect(res.history.length).toBeGreaterThan(0);
    expect(res.history.every((h) => Number.isFinite(h.loss))).toBe(true);
    [res.xT, res.x0, xT, y].forEach((t) => t.dispose());
    operator.dispose();
    model.dispose?.();
  });
});
