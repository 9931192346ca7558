import { median } from '../metrics/statistics.js';

export interface ThroughputRun {
  warmupSteps: number;
  steps: number;
  batchSize: number;
  /** Wall time of each timed step (after the warm-up), ms. */
  stepMs: number[];
  medianStepMs: number;
  /** batch x timed steps / their total wall time. */
  imagesPerSec: number;
  /** The loss of every step, warm-up included: equal across variants that compute the same thing. */
  losses: number[];
}

/**
 * Runs `warmup` untimed then `steps` timed training steps and reports images per second: the
 * training benchmark's measurement. `step` is one optimisation step (the trainStep that
 * `npm run train` runs, or its data-parallel form) returning the batch loss.
 */
export async function measureThroughput(
  step: () => number | Promise<number>,
  batchSize: number,
  o: { warmup: number; steps: number },
): Promise<ThroughputRun> {
  const losses: number[] = [];
  const stepMs: number[] = [];
  for (let i = 0; i < o.warmup + o.steps; i++) {
    const t = performance.now();
    losses.push(await step());
    if (i >= o.warmup) stepMs.push(performance.now() - t);
  }
  const total = stepMs.reduce((a, b) => a + b, 0);
  return {
    warmupSteps: o.warmup,
    steps: o.steps,
    batchSize,
    stepMs: stepMs.map((v) => Number(v.toFixed(1))),
    medianStepMs: Number(median(stepMs).toFixed(1)),
    imagesPerSec: total > 0 ? Number(((o.steps * batchSize * 1000) / total).toFixed(2)) : NaN,
    losses,
  };
}
