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

/**
 * A lower-triangular map on [rows, members, d]: row r of member m is a nonlinear function of rows
 * < r of the same member only (the structure of the DeqIR system, with members = images).
 */
function triangularProblem(rows: number, members: number, d: number) {
  const g = gaussianArray(members * d * d + members * rows * d, 11);
  const A = tf.tensor3d(g.subarray(0, members * d * d), [members, d, d]);
  const b = tf.tensor3d(g.subarray(members * d * d), [rows, members, d]);
  const F: FixedPointMap = (x) =>
    tf.tidy(() => {
      // prefix[r] = sum of rows < r, mixed per member and squashed.
      const sums = tf.sub(tf.cumsum(x, 0), x);
      const mixed = tf.stack(tf.unstack(sums, 0).map((s) => tf.squeeze(tf.matMul(A, tf.expandDims(s, 2)), [2])));
      return tf.add(tf.mul(tf.tanh(mixed), 0.9), b);
    });
  return { F, shape: [rows, members, d], dispose: () => [A, b].forEach((t) => t.dispose()) };
}

describe('triangular Anderson (ParaTAA) on a lower-triangular map', () => {
  it('is exact after at most `rows` iterations, as Picard, and leaks nothing', async () => {
    const p = triangularProblem(8, 2, 5);
    const x0 = tf.zeros(p.shape);
    const exact = await picard(p.F, x0, { tol: 0, maxIter: 8 });
    const taa = await expectNoLeak(
      () => solveFixedPoint(p.F, x0, { kind: 'taa', m: 3, lambda: 1e-6, tol: 0, maxIter: 8 }),
      (r) => r.solution.dispose(),
    );
    const again = await solveFixedPoint(p.F, x0, { kind: 'taa', m: 3, lambda: 1e-6, tol: 0, maxIter: 8 });
    expect(maxAbsDiff(await again.solution.data(), await exact.solution.data())).toBeLessThan(1e-5);
    expect(taa.iterations).toBe(8);
    [exact.solution, again.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });

  it('treats each member of axis 1 as if it were solved alone', async () => {
    const p = triangularProblem(6, 3, 4);
    const x0 = tf.zeros(p.shape);
    const settings = { kind: 'taa', m: 3, lambda: 1e-6, tol: 0, maxIter: 3 } as const;
    const together = await solveFixedPoint(p.F, x0, settings);
    const all = await together.solution.data();
    for (let m = 0; m < 3; m++) {
      // The same map restricted to member m: run on a state whose other members are zero and frozen.
      const alone = await solveFixedPoint(
        (x) =>
          tf.tidy(() => {
            const full = tf.concat([tf.zeros([6, m, 4]), x, tf.zeros([6, 2 - m, 4])], 1);
            const y = p.F(full) as tf.Tensor;
            return tf.slice(y, [0, m, 0], [6, 1, 4]);
          }),
        tf.zeros([6, 1, 4]),
        settings,
      );
      const mine = await alone.solution.data();
      alone.solution.dispose();
      const slice = Float32Array.from({ length: 24 }, (_, i) => all[Math.floor(i / 4) * 12 + m * 4 + (i % 4)]);
      expect(maxAbsDiff(mine, slice)).toBeLessThan(1e-5);
    }
    [together.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });
});
