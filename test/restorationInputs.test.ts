import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { AbortError, NonFiniteError, ParameterError, ShapeError } from '../src/lib/errors.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { prepareRestoration, type RestorationInputs } from '../src/lib/samplers/preparedRestoration.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { buildRestorationProblem } from '../src/lib/problem/restorationProblem.js';
import { timestepSubsequence } from '../src/lib/schedule/timesteps.js';
import { stepCoefficients } from '../src/lib/schedule/stepCoefficients.js';
import { randomImages, schedule, testPrior } from './support/fixtures.js';
import { expectNoLeak } from './support/tfSetup.js';

const shape = [8, 12, 1] as const;

function inputs(): RestorationInputs & { dispose(): void } {
  const model = testPrior(shape);
  const operator = createOperator({ kind: 'sr-avgpool', factor: 2 }, shape);
  const x = randomImages(1, shape, 1) as tf.Tensor4D;
  const y = operator.A(x);
  const xT = randomImages(1, shape, 2) as tf.Tensor4D;
  return {
    model,
    operator,
    y,
    xT,
    sampling: { T: 10 },
    dispose: () => {
      [x, y, xT].forEach((t) => t.dispose());
      operator.dispose();
      model.dispose?.();
    },
  };
}

describe('timestep subsequences follow the reference conventions', () => {
  it('uniform is 0, N/T, 2N/T, ... and sampling starts from the largest entry', () => {
    expect(timestepSubsequence(10, 1000, 'uniform')).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    const c = stepCoefficients(schedule, { T: 10 });
    expect(c.t[0]).toBe(900);
    expect(c.s.at(-1)).toBe(-1);
    expect(c.sqrtAbarS.at(-1)).toBe(1);
  });
  it('quad follows linspace(0, sqrt(0.8 N), T)^2', () => {
    const q = timestepSubsequence(5, 1000, 'quad');
    expect(q[0]).toBe(0);
    expect(q[4]).toBe(800);
    expect(q).toEqual([...q].sort((a, b) => a - b));
  });
  it('T > N is refused', () => {
    expect(() => timestepSubsequence(1001, 1000)).toThrow(/exceeds the schedule length/);
    expect(() => timestepSubsequence(1001, 1000)).toThrow(ParameterError);
  });
  it('the linear schedule matches DDPM: abar_0 = 1 - 1e-4, abar_999 ~ 4.04e-5', () => {
    expect(schedule.abar(0)).toBeCloseTo(1 - 1e-4, 12);
    expect(schedule.abar(999)).toBeCloseTo(4.035e-5, 7);
    expect(schedule.abar(-1)).toBe(1);
  });
});

describe('bad input gives a typed error that names the problem', () => {
  it('xT of the wrong shape', () => {
    const p = inputs();
    const bad = tf.zeros([1, 8, 10, 1]) as tf.Tensor4D;
    expect(() => prepareRestoration({ ...p, xT: bad })).toThrow(ShapeError);
    expect(() => prepareRestoration({ ...p, xT: bad })).toThrow(/xT must have shape \[N, 8, 12, 1\]/);
    bad.dispose();
    p.dispose();
  });
  it('y and xT with different batch sizes', () => {
    const p = inputs();
    const two = tf.zeros([2, ...shape]) as tf.Tensor4D;
    expect(() => prepareRestoration({ ...p, xT: two })).toThrow(/y holds 1 measurements but xT holds 2/);
    two.dispose();
    p.dispose();
  });
  it('NaN in y', () => {
    const p = inputs();
    const nan = tf.fill(p.y.shape, NaN);
    expect(() => prepareRestoration({ ...p, y: nan })).toThrow(NonFiniteError);
    expect(() => prepareRestoration({ ...p, y: nan })).toThrow(/y contains NaN/);
    nan.dispose();
    p.dispose();
  });
  it('nw > 0 without noise, and etw outside [0, 1]', () => {
    const p = inputs();
    expect(() => prepareRestoration({ ...p, sampling: { T: 10, nw: 0.5 } })).toThrow(/needs the noise z/);
    expect(() => prepareRestoration({ ...p, sampling: { T: 10, etw: 1.5 } })).toThrow(/etw must lie in \[0, 1\]/);
    p.dispose();
  });
  it('a model and an operator of different image sizes', () => {
    const p = inputs();
    const other = createOperator({ kind: 'denoising' }, [4, 4, 1]);
    expect(() => prepareRestoration({ ...p, operator: other })).toThrow(/model images are \[8, 12, 1\]/);
    other.dispose();
    p.dispose();
  });
});

describe('public calls leave tf.memory().numTensors at its baseline', () => {
  it('prepare, serial chain, DeqIR with each solver, dispose', async () => {
    const p = inputs();
    await expectNoLeak(async () => {
      const task = prepareRestoration(p);
      const s = await serialChain(task, { keepTrajectory: true });
      s.x0.dispose();
      for (const kind of ['picard', 'anderson', 'anderson-per-row'] as const) {
        const r = await deqRestore(task, { kind, maxIter: 12 });
        r.x0.dispose();
      }
      const kept = await deqRestore(task, { kind: 'picard', tol: 0, maxIter: 3 }, { keepState: true, keepIterates: true, chunkSize: 4 });
      expect(kept.state!.shape).toEqual([10, 1, ...shape]);
      expect(kept.iterates).toHaveLength(3);
      expect(kept.iterates![0]).toHaveLength(10 * 8 * 12);
      // Rows whose network input is final are not evaluated again: 10, then 9, then 8.
      expect(kept.history.map((h) => h.nfe)).toEqual([10, 19, 27]);
      kept.state!.dispose();
      kept.x0.dispose();
      task.dispose();
    });
    p.dispose();
  });
  it('a problem whose measurement is refused (sigma_y < 0) names the field and leaks nothing', async () => {
    const model = testPrior([8, 12, 1]);
    const images = [{ key: 0, pixels: new Float32Array(8 * 12) }];
    await expectNoLeak(() => {
      expect(() => buildRestorationProblem(model, { task: 'sr2', seed: 0, T: 4, sigmaY: -1 }, images)).toThrow(
        /sigmaY must be a finite number >= 0/,
      );
    });
    model.dispose?.();
  });
  it('a cancelled serial chain or DeqIR run leaks nothing', async () => {
    const p = inputs();
    const task = prepareRestoration(p);
    const c = new AbortController();
    c.abort();
    await expectNoLeak(async () => {
      await expect(serialChain(task, { signal: c.signal })).rejects.toThrow(AbortError);
      await expect(deqRestore(task, { kind: 'anderson', signal: c.signal })).rejects.toThrow(AbortError);
    });
    task.dispose();
    p.dispose();
  });
});
