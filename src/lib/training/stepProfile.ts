import * as tf from '@tensorflow/tfjs-core';
import type { DiffusionSchedule } from '../schedule/linearSchedule.js';
import { trainStep, type TrainingImages, type TrainState } from './trainer.js';

export interface KernelShare {
  kernel: string;
  calls: number;
  ms: number;
  /** Share of the summed kernel time. */
  share: number;
}

export interface StepProfile {
  wallMs: number;
  kernelMs: number;
  kernels: KernelShare[];
}

/**
 * Where one training step's time goes: tf.profile of one trainStep, kernel times summed by name.
 * Conv2D is split into the 3x3 convs (forward and input gradients) and the filter gradients
 * (fastGrads.convFilterGrad: a conv whose "kernel" is the whole image and whose output is 3x3).
 * customGrad's wrappers ('forward') contain kernels counted on their own, so they are left out.
 */
export async function profileTrainStep(s: TrainState, data: TrainingImages, schedule: DiffusionSchedule): Promise<StepProfile> {
  const t = performance.now();
  const info = await tf.profile(() => {
    trainStep(s, data, schedule);
  });
  const wallMs = performance.now() - t;
  const by = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    if (k.name === 'forward') continue;
    const e = by.get(kernelLabel(k)) ?? { calls: 0, ms: 0 };
    e.calls += 1;
    e.ms += Number(k.kernelTimeMs);
    by.set(kernelLabel(k), e);
  }
  const kernelMs = [...by.values()].reduce((a, e) => a + e.ms, 0);
  const kernels = [...by.entries()]
    .map(([kernel, e]) => ({ kernel, calls: e.calls, ms: Number(e.ms.toFixed(1)), share: Number((e.ms / kernelMs).toFixed(4)) }))
    .sort((a, b) => b.ms - a.ms);
  return { wallMs: Number(wallMs.toFixed(1)), kernelMs: Number(kernelMs.toFixed(1)), kernels };
}

function kernelLabel(k: { name: string; inputShapes: unknown[]; outputShapes: unknown[] }): string {
  if (k.name !== 'Conv2D') return k.name;
  const x = k.inputShapes[0] as number[];
  const y = k.outputShapes[0] as number[];
  return y[1] === 3 && y[2] === 3 && x[1] > 3 ? 'Conv2D (filter gradient)' : 'Conv2D (3x3: forward, input gradient)';
}
