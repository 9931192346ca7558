import * as tf from '@tensorflow/tfjs-core';
import { deqSystem } from '../../../deq/deqSystem.js';
import type { EpsModel } from '../../../models/epsModel.js';
import { serialStep } from '../../../samplers/serialChain.js';
import { DEFAULT_SETTINGS } from '../../jobSettings.js';
import type { ProgressFn } from '../../progress.js';
import { jobProblem } from '../restorationProblem.js';

export interface StepTiming {
  T: number;
  /** Median ms of one DeqIR map evaluation F(X) (all T network calls batched), read-back included. */
  mapMs: number;
  /** Median ms of one serial step (one network call), read-back included. */
  stepMs: number;
  mapSamples: number[];
  stepSamples: number[];
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

/**
 * Per-iteration wall time of the DeqIR map and of one serial step on the current backend, after one
 * untimed warm-up each (shader compilation, wasm start-up). Same problem as the overview default.
 */
export async function speedStep(model: EpsModel, T: number, truth: Float32Array, reps = { map: 3, step: 5 }, onProgress?: ProgressFn): Promise<StepTiming> {
  const p = await jobProblem(model, { ...DEFAULT_SETTINGS, T }, truth);
  const system = deqSystem(p.task);
  const X = system.initialState('ddim-pinv');
  const time = async (f: () => tf.Tensor): Promise<number> => {
    const t0 = performance.now();
    const out = f();
    await out.data();
    const ms = performance.now() - t0;
    out.dispose();
    return ms;
  };
  const mapOnce = () => system.map(X);
  const stepOnce = () => tf.tidy(() => serialStep(p.task, 0, p.xT, p.task.yTerm).next);
  try {
    await time(mapOnce);
    await time(stepOnce);
    const mapSamples: number[] = [];
    for (let i = 0; i < reps.map; i++) {
      mapSamples.push(await time(mapOnce));
      onProgress?.({ phase: 'bench', message: `T = ${T}: map ${i + 1}/${reps.map}` });
    }
    const stepSamples: number[] = [];
    for (let i = 0; i < reps.step; i++) stepSamples.push(await time(stepOnce));
    return { T, mapMs: median(mapSamples), stepMs: median(stepSamples), mapSamples, stepSamples };
  } finally {
    X.dispose();
    system.dispose();
    p.dispose();
  }
}
