import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INIT } from '../src/lib/deq/deqDefaults.js';
import { deqRestore } from '../src/lib/deq/deqRestore.js';
import { picard } from '../src/lib/deq/solvers/picard.js';
import { solverSettingsFor, X0_BUDGET } from '../src/lib/deq/solvers/solverDefaults.js';
import { solveFixedPoint } from '../src/lib/deq/solvers/solveFixedPoint.js';
import { finishedRows, meetsRowRule } from '../src/lib/deq/solvers/stoppingRule.js';
import type { FixedPointMap, IterationRecord } from '../src/lib/deq/solvers/solverTypes.js';
import { ParameterError } from '../src/lib/errors.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import { measure } from '../src/lib/operators/measure.js';
import { gaussianArray } from '../src/lib/random/prng.js';
import { prepareRestoration } from '../src/lib/samplers/preparedRestoration.js';
import { serialChain } from '../src/lib/samplers/serialChain.js';
import { OPERATOR_CASES, randomImages, testPrior } from './support/fixtures.js';
import { expectNoLeak, maxAbsDiff } from './support/tfSetup.js';

const record = (rms: number[]): IterationRecord => ({
  iteration: 1,
  absResidual: 0,
  relResidual: 0,
  rowAbsResidual: rms,
  rowRelResidual: rms,
  rowRmsResidual: rms,
  ruleMeasure: rms,
  frozenRows: 0,
  finishedRows: 0,
  wallMs: 0,
});

describe('the row rule', () => {
  const rule = { tol: 0.1, scales: [1, 0.5, 0.5, 0] };

  it('finishes one row past the leading rows within tolerance (a triangular map computes it from them)', () => {
    expect(finishedRows(record([0.05, 0.01, 0.2, 9]), 0, rule)).toBe(3); // rows 0, 1 within; row 2 is computed from them
    expect(finishedRows(record([0.5, 0.01, 0.01, 9]), 0, rule)).toBe(1); // row 0 out: only Picard's exact row
    expect(finishedRows(record([0.05, 0.01, 0.01, 9]), 0, rule)).toBe(4); // the scale-0 row is judged through the rows before it
  });

  it('without a rule, or with tol 0, only frozen rows count: Picard one more exact row per call', () => {
    expect(finishedRows(record([0, 0, 0, 0]), 2, null)).toBe(3);
    expect(finishedRows(record([0, 0, 0, 0]), 2, { ...rule, tol: 0 })).toBe(3);
  });

  it('off the window, every row with a positive scale must meet it', () => {
    expect(meetsRowRule(record([0.05, 0.01, 0.01, 9]), rule)).toBe(true);
    expect(meetsRowRule(record([0.05, 0.06, 0.01, 0]), rule)).toBe(false);
  });
});

/**
 * A lower-triangular map on [rows, 1, d] that contracts quickly: row r is a squashed mix of rows < r.
 * It counts the rows it is asked to compute (rows >= frozenRows), as the DeqIR system does.
 */
function countingTriangular(rows: number, d: number) {
  const g = gaussianArray(d * d + rows * d, 5);
  const A = tf.tensor2d(g.subarray(0, d * d), [d, d]);
  const b = tf.tensor3d(g.subarray(d * d), [rows, 1, d]);
  const calls: number[] = [];
  const F: FixedPointMap = (x, frozenRows = 0) => {
    calls.push(frozenRows);
    return tf.tidy(() => {
      const prefix = tf.sub(tf.cumsum(x, 0), x);
      const mixed = tf.reshape(tf.matMul(tf.reshape(prefix, [rows, d]), A), [rows, 1, d]);
      return tf.add(tf.mul(tf.tanh(tf.mul(mixed, 0.05)), 0.5), b);
    });
  };
  return { F, calls, shape: [rows, 1, d], dispose: () => [A, b].forEach((t) => t.dispose()) };
}

describe('the window on a lower-triangular map', () => {
  it('with tol 0 freezes one row per call, stops exact after `rows` calls and equals plain Picard', async () => {
    const p = countingTriangular(8, 4);
    const x0 = tf.zeros(p.shape);
    const plain = await picard(p.F, x0, { tol: 0, maxIter: 8 });
    p.calls.length = 0;
    const windowed = await expectNoLeak(
      () => picard(p.F, x0, { tol: 0, maxIter: 8, rowScales: new Array<number>(8).fill(1), lowerTriangular: true }),
      (r) => r.solution.dispose(),
    );
    const again = await picard(p.F, x0, { tol: 0, maxIter: 8, rowScales: new Array<number>(8).fill(1), lowerTriangular: true });
    expect(again.stoppedBy).toBe('exact');
    expect(p.calls.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(windowed.history.map((h) => h.finishedRows)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(maxAbsDiff(await again.solution.data(), await plain.solution.data())).toBeLessThan(1e-6);
    [plain.solution, again.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });

  it('with a tolerance stops sooner, its solution within the tolerance of the exact one, frozen rows untouched', async () => {
    const p = countingTriangular(12, 4);
    const x0 = tf.zeros(p.shape);
    const exact = await picard(p.F, x0, { tol: 0, maxIter: 12, lowerTriangular: true });
    p.calls.length = 0;
    const frozenValues: number[][] = [];
    const ruled = await solveFixedPoint(p.F, x0, {
      kind: 'taa',
      tol: 1e-3,
      maxIter: 12,
      rowScales: new Array<number>(12).fill(1),
      onIteration: async (rec, { fx }) => {
        frozenValues.push(Array.from((await fx.data()).slice(0, rec.frozenRows * 4)));
      },
    });
    expect(ruled.stoppedBy).toBe('tol');
    expect(ruled.iterations).toBeLessThan(12);
    // Calls are told a frozen prefix that only grows; what was frozen never changes.
    expect([...p.calls].sort((a, b) => a - b)).toEqual(p.calls);
    for (let i = 1; i < frozenValues.length; i++) expect(frozenValues[i].slice(0, frozenValues[i - 1].length)).toEqual(frozenValues[i - 1]);
    expect(maxAbsDiff(await ruled.solution.data(), await exact.solution.data())).toBeLessThan(1e-2);
    [exact.solution, ruled.solution, x0].forEach((t) => t.dispose());
    p.dispose();
  });

  it('refuses row scales that do not fit the state, by name', async () => {
    const p = countingTriangular(4, 2);
    const x0 = tf.zeros(p.shape);
    await expect(picard(p.F, x0, { rowScales: [1, 1] })).rejects.toThrow(ParameterError);
    await expect(picard(p.F, x0, { rowScales: [1, 1, -1, 0] })).rejects.toThrow(/rowScales: scale of row 2/);
    x0.dispose();
    p.dispose();
  });
});

describe('DeqIR under the window', () => {
  const setup = (T: number) => {
    const { spec, shape } = OPERATOR_CASES[1];
    const model = testPrior(shape);
    const operator = createOperator(spec, shape);
    const xTrue = tf.tidy(() => tf.tanh(randomImages(1, shape, 21, 0.7))) as tf.Tensor4D;
    const y = measure(operator, xTrue, 0, 22);
    const xT = randomImages(1, shape, 23) as tf.Tensor4D;
    const task = prepareRestoration({ model, operator, y, xT, sampling: { T } });
    return {
      task,
      dispose: () => {
        task.dispose();
        [xTrue, y, xT].forEach((t) => t.dispose());
        operator.dispose();
      },
    };
  };

  it('with the strict rule evaluates each timestep until it is final: NFE = T + (T − 1) + … + 1', async () => {
    const p = setup(12);
    const r = await deqRestore(p.task, { kind: 'picard', rule: 'relative', tol: 0, maxIter: 12 });
    r.x0.dispose();
    p.dispose();
    expect({ stoppedBy: r.stoppedBy, iterations: r.iterations, nfe: r.nfe }).toEqual({ stoppedBy: 'exact', iterations: 12, nfe: 78 });
  });

  it('the default solve stops by its rule within T calls, its x0 within the rule of the serial one, nothing leaked', async () => {
    const T = 20;
    const p = setup(T);
    const serial = await serialChain(p.task);
    const res = await expectNoLeak(
      () => deqRestore(p.task, solverSettingsFor(T), { init: DEFAULT_INIT }),
      (r) => r.x0.dispose(),
    );
    const again = await deqRestore(p.task, solverSettingsFor(T), { init: DEFAULT_INIT });
    const [a, b] = [Array.from(await again.x0.data()), Array.from(await serial.x0.data())];
    const rms = Math.sqrt(a.reduce((acc, v, i) => acc + (v - b[i]) ** 2, 0) / a.length);
    [again.x0, serial.x0].forEach((t) => t.dispose());
    p.dispose();
    expect(res.iterations).toBeLessThanOrEqual(T);
    expect(res.history.at(-1)!.finishedRows).toBe(T);
    // Finished timesteps are not evaluated again: fewer evaluations than T per call.
    expect(res.nfe).toBeLessThan(T * res.iterations);
    expect(res.history.map((h) => h.nfe)).toEqual([...res.history.map((h) => h.nfe)].sort((a, b) => a - b));
    // The rule's errors add up along the chain to at most about its budget (RMS, image units).
    expect(rms).toBeLessThan(X0_BUDGET);
  });
});
