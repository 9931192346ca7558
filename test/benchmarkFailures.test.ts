import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { gradientCosts, initOptimizationStudy } from '../src/lib/bench/gradientBenchmark.js';
import { restorationMethods, type MethodInputs } from '../src/lib/bench/restorationMethods.js';
import { imageRuns } from '../src/lib/bench/solverBenchmark.js';
import { createOperator } from '../src/lib/operators/createOperator.js';
import type { EpsModel } from '../src/lib/models/epsModel.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { DEFAULT_INIT } from '../src/lib/deq/deqDefaults.js';
import { solverSettingsFor } from '../src/lib/deq/solvers/solverDefaults.js';
import { expectFreedOnEveryFailure } from './support/failingModel.js';
import { caseProblem, OPERATOR_CASES, randomImages, testPrior } from './support/fixtures.js';

describe('benchmark code frees what it made whichever eps call fails (and on success)', () => {
  const T = 3;

  it('every restoration method of the quality benchmark (serial, plain DDNM, DDRM, DeqIR at eta 0 and 0.85, init-opt)', async () => {
    // Inpainting with a random mask has an SVD view, so DDRM runs too.
    const p = caseProblem(OPERATOR_CASES[8], 2, 5);
    const { prior, operator, x, y, xT } = p;
    const shape = OPERATOR_CASES[8].shape;
    const cell = { preset: 'inpaint-random', sigmaY: 0.05 };
    const methods = restorationMethods({
      serialTs: [T],
      serialEtas: [0],
      ddrm: { T, eta: 0.85, etaB: 1 },
      deqT: T,
      subsetImages: null,
      plainDdnmCells: [cell],
      deq: [
        { name: 'default', solver: solverSettingsFor(T), init: DEFAULT_INIT },
        { name: 'stochastic', solver: solverSettingsFor(T), init: DEFAULT_INIT, eta: 0.85 },
      ],
      initOpt: { steps: 1, lr: 0.05, oracle: true, cells: [cell], images: 1 },
    });
    expect(methods.map((m) => m.family)).toEqual(expect.arrayContaining(['DDNM', 'DDRM', 'DeqIR', 'DeqIR + init-opt']));
    const inputs = (model: EpsModel): MethodInputs => ({
      model,
      operator,
      x,
      y,
      sigmaY: cell.sigmaY,
      xT,
      noise: (n) => randomImages(n, [2, ...shape], 7),
      tick: () => undefined,
    });
    for (const m of methods.filter((m) => m.T > 0)) {
      await expectFreedOnEveryFailure(prior, async (model) => (await m.run(inputs(model))).x0.dispose());
    }
    p.dispose();
  });

  it('the gradient cost comparison and the initialization-optimization study', async () => {
    const set = loadBenchmarkSubset();
    const prior = testPrior([28, 28, 1]);
    const implicit = () => [{ name: 'implicit', opts: { method: 'implicit' as const } }];
    await expectFreedOnEveryFailure(prior, (model) => gradientCosts([{ name: 'test', model }], [T], set, implicit));
    const tasks = [{ name: 'SR x4', spec: { kind: 'sr-avgpool' as const, factor: 4 } }];
    await expectFreedOnEveryFailure(prior, (model) => initOptimizationStudy(model, set, tasks, [3], { T, steps: 1, lr: 0.05 }));
    prior.dispose?.();
  });

  it('the solver benchmark, image by image (serial chain, then each solver against it)', async () => {
    const set = loadBenchmarkSubset();
    const prior = testPrior([28, 28, 1]);
    const operator = createOperator({ kind: 'sr-avgpool', factor: 4 }, [28, 28, 1]);
    const opts = {
      Ts: [T],
      tasks: [],
      seed: 0,
      images: [0],
      target: 1e-4,
      maxIter: () => T,
      variants: [
        { name: 'picard', settings: { kind: 'picard' as const, tol: 0, maxIter: T } },
        { name: 'default', settings: solverSettingsFor(T) },
      ],
    };
    await expectFreedOnEveryFailure(
      prior,
      (model) => imageRuns({ model, operator, opName: 'SR x4', set, key: 10, image: 0, T }, opts),
      2 * T,
    );
    operator.dispose();
    prior.dispose?.();
  });
});
