import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ResourceError } from '../src/lib/errors.js';
import { loadModelFile } from '../src/lib/node/loadModelFile.js';
import { PAGE_T_MAX, DEFAULT_SETTINGS } from '../src/lib/site/jobSettings.js';
import { memoryBudgetBytes } from '../src/lib/problem/memoryEstimate.js';
import { WORKER_MEMORY_BUDGET_MB } from '../src/lib/bounds.js';
import { GRADIENT_METHODS, rectRegion } from '../src/lib/site/gradientSettings.js';
import { gradientJobEstimate, runGradients } from '../src/lib/site/jobs/gradients.js';

/**
 * The worker refuses a job over its memory budget with the reason, before it allocates: the
 * Gradients page's own advice (raise k towards T with tau = 1) at T = 20 used to abort the wasm
 * worker; the precomputed request and small k still run.
 */
describe('the worker memory budget', () => {
  const budget = memoryBudgetBytes(WORKER_MEMORY_BUDGET_MB);
  const request = (phantomSteps: number) => ({
    region: rectRegion(28, 28, { x0: 8, y0: 8, x1: 20, y1: 20 }),
    methods: [...GRADIENT_METHODS],
    phantomSteps,
    phantomTau: 1,
  });

  it('refuses phantom k = T at T = 14 and 20 before allocating, and names what to lower', async () => {
    const model = await loadModelFile('models/fashion-unet-small.safetensors');
    try {
      for (const T of [14, PAGE_T_MAX.gradients]) {
        const s = { ...DEFAULT_SETTINGS, T };
        expect(gradientJobEstimate(model, s, request(T)).bytes).toBeGreaterThan(budget);
        const before = tf.memory().numTensors;
        const start = performance.now();
        await expect(runGradients(model, s, new Float32Array(784), request(T))).rejects.toThrow(ResourceError);
        await expect(runGradients(model, s, new Float32Array(784), request(T))).rejects.toThrow(
          /over the memory budget of 1536 MiB.*lower the phantom steps K or T with the sliders/,
        );
        // The page's reader has sliders, not the library's chunk size or a CLI flag.
        await expect(runGradients(model, s, new Float32Array(784), request(T))).rejects.not.toThrow(/chunkSize|--[a-z]/);
        expect(performance.now() - start).toBeLessThan(1000);
        expect(tf.memory().numTensors).toBe(before);
      }
    } finally {
      model.dispose?.();
    }
  });

  it('lets the precomputed request (T = 10, k = 1) and k = 2 at the page maximum T run', async () => {
    const model = await loadModelFile('models/fashion-unet-small.safetensors');
    try {
      expect(gradientJobEstimate(model, { ...DEFAULT_SETTINGS, T: 10 }, request(1)).bytes).toBeLessThan(budget);
      expect(gradientJobEstimate(model, { ...DEFAULT_SETTINGS, T: PAGE_T_MAX.gradients }, request(2)).bytes).toBeLessThan(budget);
    } finally {
      model.dispose?.();
    }
  });
});
