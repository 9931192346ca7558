import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { anderson, mixingWeights } from '../src/lib/deq/solvers/anderson.js';
import { picard } from '../src/lib/deq/solvers/picard.js';
import { solveFixedPoint } from '../src/lib/deq/solvers/solveFixedPoint.js';
import type { FixedPointMap } from '../src/lib/deq/solvers/solverTypes.js';
import { AbortError, ParameterError, SolverDivergedError } from '../src/lib/errors.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { expectNoLeak, maxAbsDiff } from './support/tfSetup.js';

/**
 * F(x) = M x + b on 4 rows of 6 values, M = rho I + 0.04 N / ||N||_F: a contraction (spectral
 * radius <= rho + 0.04) whose slow part is the rho I term Picard must grind through.
 */
function affineProblem(rho: number) {
  const n = 24;
  const g = gaussianArray(n * n + n, 7);
  const M0 = tf.tensor2d(g.subarray(0, n * n), [n, n]);
  const M = tf.tidy(() => tf.add(tf.mul(tf.eye(n), rho), tf.mul(M0, 0.04 / tf.norm(M0).dataSync()[0])));
  const b = tf.tensor2d(g.subarray(n * n), [n, 1]);
  const F: FixedPointMap = (x) => tf.tidy(() => tf.reshape(tf.add(tf.matMul(M, tf.reshape(x, [n, 1])), b), [4, 6]));
  // Reference by 2000 plain iterations (contraction factor ~0.99^2000 ~ 2e-9).
  const xStar = tf.tidy(() => {
    let x = tf.zeros([4, 6]);
    for (let i = 0; i < 2000; i++) x = F(x) as tf.Tensor2D;
    return x;
  });
  return { F, xStar, dispose: () => [M0, M, b, xStar].forEach((t) => t.dispose()) };
}

describe('solvers know nothing of diffusion: a generic contraction', () => {
  it.each(['picard', 'anderson', 'anderson-per-row'] as const)('%s finds the fixed point and leaks nothing', async (kind) => {
    const p = affineProblem(0.8);
    const x0 = tf.zeros([4, 6]);
    const res = await expectNoLeak(
      () => solveFixedPoint(p.F, x0, { kind, tol: 1e-6, maxIter: 300 }),
      (r) => r.solution.dispose(),
    );
    const again = await solveFixedPoint(p.F, x0, { kind, tol: 1e-6, maxIter: 300 });
    expect(res.converged).toBe(true);
    expect(maxAbsDiff(await again.solution.data(), await p.xStar.data())).toBeLessThan(1e-4);
    expect(res.history.length).toBe(res.iterations);
    expect(res.history.at(-1)!.rowAbsResidual).toHaveLength(4);
    [again.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });

  it('Anderson needs far fewer iterations than Picard on a slow contraction', async () => {
    const p = affineProblem(0.95);
    // Picard needs ~log(1e-5)/log(0.95) ~ 220 iterations here.
    const x0 = tf.zeros([4, 6]);
    const a = await anderson(p.F, x0, { m: 5, lambda: 1e-8, tol: 1e-5, maxIter: 500 });
    const q = await picard(p.F, x0, { tol: 1e-5, maxIter: 500 });
    expect(a.iterations * 3).toBeLessThan(q.iterations);
    [a.solution, q.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });

  it('mixing weights sum to one and pick the better iterate', () => {
    // Residual 0 has norm 10, residual 1 norm 1, orthogonal: the optimum weighs 1 much more.
    const w = mixingWeights([100, 0, 0, 1], 2, 0);
    expect(w[0] + w[1]).toBeCloseTo(1, 12);
    expect(w[1]).toBeCloseTo(100 / 101, 10);
  });

  it('stops with the callback when an outside criterion is met', async () => {
    const p = affineProblem(0.9);
    const x0 = tf.zeros([4, 6]);
    const r = await picard(p.F, x0, { tol: 0, maxIter: 100, onIteration: (rec) => (rec.iteration === 3 ? 'stop' : undefined) });
    expect(r.iterations).toBe(3);
    expect(r.stoppedBy).toBe('callback');
    [r.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });
});

describe('solvers fail loudly, never with a silent wrong answer', () => {
  it('NaN in the state ends the run with SolverDivergedError and no leak', async () => {
    const F: FixedPointMap = (x) => tf.tidy(() => tf.add(x, tf.fill(x.shape, NaN)));
    const x0 = tf.zeros([2, 3]);
    const before = tf.memory().numTensors;
    await expect(picard(F, x0, {})).rejects.toThrow(SolverDivergedError);
    await expect(anderson(F, x0, {})).rejects.toThrow(/NaN or Inf/);
    expect(tf.memory().numTensors).toBe(before);
    x0.dispose();
  });
  it('a growing residual is reported as divergence', async () => {
    const F: FixedPointMap = (x) => tf.tidy(() => tf.add(tf.mul(x, 3), 1));
    const x0 = tf.zeros([2, 3]);
    await expect(picard(F, x0, { maxIter: 100 })).rejects.toThrow(/diverged/);
    x0.dispose();
  });
  it('an aborted signal cancels the run with AbortError', async () => {
    const controller = new AbortController();
    const F: FixedPointMap = (x) => tf.tidy(() => tf.mul(x, 0.5));
    const x0 = tf.ones([2, 3]);
    const before = tf.memory().numTensors;
    const run = picard(F, x0, {
      tol: 0,
      maxIter: 100,
      signal: controller.signal,
      onIteration: (rec) => {
        if (rec.iteration === 2) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(AbortError);
    expect(tf.memory().numTensors).toBe(before);
    x0.dispose();
  });
  it('bad settings are refused by name', async () => {
    const x0 = tf.zeros([1, 1]);
    const F: FixedPointMap = (x) => tf.clone(x);
    expect(() => picard(F, x0, { beta: 0 })).toThrow(ParameterError);
    await expect(anderson(F, x0, { m: 0 })).rejects.toThrow(/history m/);
    expect(() => solveFixedPoint(F, x0, { kind: 'newton' } as never)).toThrow(/picard, anderson, anderson-per-row/);
    x0.dispose();
  });
});
