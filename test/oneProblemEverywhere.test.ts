import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { qualityBenchmark } from '../src/lib/bench/restorationBenchmark.js';
import { restorationMethods } from '../src/lib/bench/restorationMethods.js';
import { toSignedUnit } from '../src/lib/data/labelledImages.js';
import { fittedGaussianPrior } from '../src/lib/models/gaussianPrior.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { restoreImage } from '../src/lib/node/restoreImage.js';
import { taskDefinition, tasksForChannels } from '../src/lib/operators/taskRegistry.js';
import { DEFAULT_INIT } from '../src/lib/deq/deqDefaults.js';
import { solverSettingsFor } from '../src/lib/deq/solvers/solverDefaults.js';
import { DEFAULT_SETTINGS, type JobSettings } from '../src/lib/site/jobSettings.js';
import { runDemo } from '../src/lib/site/jobs/demo.js';
import { jobProblem } from '../src/lib/site/jobs/jobProblem.js';

/**
 * One (task, image index, seed, T, solver) is one restoration wherever it runs: the command line's
 * restore path, the site's worker job (run here in Node, as the page loaders run it) and a cell of
 * the quality benchmark build bit-identical y and x_T and report the same x0 and PSNR.
 */
const set = loadBenchmarkSubset();
const IMAGE = 5;
const SEED = 7;
const T = 6;
// A fitted Gaussian prior keeps this fast; every path takes the prior as the same EpsModel object.
const model = fittedGaussianPrior(
  toSignedUnit(
    set,
    Array.from({ length: 64 }, (_, i) => 128 + i),
  ),
  64,
  [28, 28, 1],
);
const truth = toSignedUnit(set, [IMAGE]);

describe('one problem is one problem everywhere', () => {
  // Every task the grey 28x28 prior can run (colorize needs colour: test/colorize.test.ts).
  it.each(tasksForChannels(1))(
    '%s: CLI restore, worker job and benchmark cell agree bit for bit on y and x_T, and on x0 and PSNR',
    async (task) => {
      const before = tf.memory().numTensors;

      const cli = await restoreImage({ model, input: { subsetImage: IMAGE }, task, method: 'deqir', T, seed: SEED });

      const settings: JobSettings = { ...DEFAULT_SETTINGS, task, image: IMAGE, seed: SEED, T };
      const worker = await jobProblem(model, settings, truth);
      const [wy, wxT] = [await worker.y.data(), await worker.xT.data()];
      worker.dispose();
      const demo = await runDemo(model, settings, truth);

      const seen: { y: Float32Array; xT: Float32Array; x0: Float32Array }[] = [];
      const [cell] = await qualityBenchmark({
        model,
        set,
        images: [IMAGE],
        cells: [{ preset: task, sigmaY: taskDefinition(task).sigmaY }],
        methods: restorationMethods({
          serialTs: [],
          serialEtas: [],
          ddrm: null,
          deqT: T,
          initOpt: null,
          subsetImages: null,
          plainDdnmCells: [],
          deq: [{ name: 'default', solver: solverSettingsFor(T), init: DEFAULT_INIT }],
        }).filter((m) => m.family === 'DeqIR'),
        seed: SEED,
        onRestored: async (r) => {
          seen.push({
            y: (await r.y.data()) as Float32Array,
            xT: (await r.xT.data()) as Float32Array,
            x0: (await r.x0.data()) as Float32Array,
          });
        },
      });

      expect(tf.memory().numTensors).toBe(before);
      // Bit-identical inputs.
      expect(Array.from(wy)).toEqual(Array.from(cli.y));
      expect(Array.from(wxT)).toEqual(Array.from(cli.xT));
      expect(Array.from(seen[0].y)).toEqual(Array.from(cli.y));
      expect(Array.from(seen[0].xT)).toEqual(Array.from(cli.xT));
      // The same restoration (the demo reports x0 rounded to 4 decimals for the page).
      expect(Array.from(seen[0].x0)).toEqual(Array.from(cli.x0));
      demo.images.deq.data.forEach((v, i) => expect(Math.abs(v - cli.x0[i])).toBeLessThanOrEqual(5e-5 + 1e-7));
      expect(Math.abs(demo.deq.psnr - cli.psnr)).toBeLessThan(1e-6);
      expect(Math.abs(cell.images[0].psnr - cli.psnr)).toBeLessThan(1e-6);
      expect(cell.images[0].iterations).toBe(cli.iterations);
      expect(demo.deq.iterations).toBe(cli.iterations);
    },
  );

  it('a benchmark cell whose model or callback fails frees every tensor it made', async () => {
    const methods = restorationMethods({
      serialTs: [T],
      serialEtas: [0],
      ddrm: null,
      deqT: T,
      initOpt: null,
      subsetImages: null,
      plainDdnmCells: [],
      deq: [{ name: 'default', solver: solverSettingsFor(T), init: DEFAULT_INIT }],
    });
    const run = (m: typeof model, onRestored?: () => void) =>
      qualityBenchmark({
        model: m,
        set,
        images: [IMAGE, IMAGE + 1],
        cells: [{ preset: 'sr4', sigmaY: 0.05 }],
        methods,
        seed: SEED,
        onRestored,
      });
    const before = tf.memory().numTensors;
    await expect(
      run(model, () => {
        throw new Error('callback failed');
      }),
    ).rejects.toThrow('callback failed');
    expect(tf.memory().numTensors).toBe(before);
    const failing = {
      ...model,
      name: 'fails',
      eps: () => {
        throw new Error('model failed');
      },
    };
    await expect(run(failing)).rejects.toThrow('model failed');
    expect(tf.memory().numTensors).toBe(before);
  });
});
