import * as tf from '@tensorflow/tfjs-core';
import { timeToHost } from '../../backend/timeToHost.js';
import { deqRestore } from '../../deq/deqRestore.js';
import { deqSystem } from '../../deq/deqSystem.js';
import { throwIfAborted } from '../../errors.js';
import { iterateX0ToSerial, meetsX0Criterion, X0_PSNR_CRITERION_DB } from '../../metrics/x0ToSerial.js';
import type { EpsModel } from '../../models/epsModel.js';
import { DEFAULT_INIT } from '../../deq/deqDefaults.js';
import { DEFAULT_SOLVER, solverSettingsFor } from '../../deq/solvers/solverDefaults.js';
import { serialChain } from '../../samplers/serialChain.js';
import { serialStep } from '../../samplers/serialStep.js';
import { DEFAULT_SETTINGS } from '../jobSettings.js';
import { yieldToEvents, type ProgressFn } from '../progress.js';
import { jobProblem } from './jobProblem.js';
import { median } from '../../metrics/statistics.js';
import { OwnedTensors } from '../../tensors/ownedTensors.js';

export interface StepTiming {
  T: number;
  /** Median ms of one DeqIR map evaluation F(X) (all T network calls batched), read-back included. */
  mapMs: number;
  /** Median ms of one serial step (one network call), read-back included. */
  stepMs: number;
  mapSamples: number[];
  stepSamples: number[];
  /**
   * The whole restoration, as scripts/gpuWallClock.ts times it on a GPU: the default solver until
   * x0 is within 40 dB of the serial x0 (src/lib/metrics/x0ToSerial.ts) against the serial chain.
   * Absent when the caller asked for per-iteration timings only.
   */
  toCriterion?: SpeedUpTiming;
}

export interface SpeedUpTiming {
  solver: string;
  /** The criterion the solve stops on (PSNR(x0, serial x0) >= 40 dB). */
  criterion: string;
  /** ms of the whole serial chain (T steps), x0 read back. */
  serialMs: number;
  /** Batched network calls until the criterion (null: not within T). */
  depth: number | null;
  /** ms from the solve's start to that call (its read-back included), null with depth. */
  msToCriterion: number | null;
  /** serialMs / msToCriterion: above 1, DeqIR restores faster than the chain on this device. */
  speedup: number | null;
}

export interface SpeedReps {
  map: number;
  step: number;
  /** Time the whole restoration too (default true). */
  toCriterion?: boolean;
}

/**
 * Per-iteration wall time of the DeqIR map and of one serial step on the current backend, after one
 * untimed warm-up each (shader compilation, wasm start-up), then (unless reps.toCriterion is false)
 * the whole restoration: the serial chain once, and the default solver once, stopped when x0 is
 * within 40 dB of the serial x0 (both after those warm-ups, whose shapes they reuse). Same problem
 * as the overview default.
 */
export async function speedStep(
  model: EpsModel,
  T: number,
  truth: Float32Array,
  reps: SpeedReps = { map: 3, step: 5 },
  onProgress?: ProgressFn,
  signal?: AbortSignal,
): Promise<StepTiming> {
  const owned = new OwnedTensors();
  const p = owned.keep(await jobProblem(model, { ...DEFAULT_SETTINGS, T }, truth));
  try {
    const system = owned.keep(deqSystem(p.task));
    const X = owned.keep(system.initialState('ddim-pinv'));
    const mapOnce = () => system.map(X);
    const stepOnce = () => tf.tidy(() => serialStep(p.task, 0, p.xT, p.task.yTerm).next);
    await timeToHost(mapOnce);
    await timeToHost(stepOnce);
    const mapSamples: number[] = [];
    for (let i = 0; i < reps.map; i++) {
      throwIfAborted(signal);
      mapSamples.push(await timeToHost(mapOnce));
      onProgress?.({ phase: 'bench', message: `T = ${T}: map ${i + 1}/${reps.map}` });
    }
    const stepSamples: number[] = [];
    for (let i = 0; i < reps.step; i++) stepSamples.push(await timeToHost(stepOnce));
    const out: StepTiming = { T, mapMs: median(mapSamples), stepMs: median(stepSamples), mapSamples, stepSamples };
    if (reps.toCriterion === false) return out;
    throwIfAborted(signal);
    onProgress?.({ phase: 'bench', message: `T = ${T}: serial chain` });
    await yieldToEvents();
    const serial = await serialChain(p.task, { signal });
    const ref = (await serial.x0.data()) as Float32Array;
    serial.x0.dispose();
    let depth: number | null = null;
    const res = await deqRestore(
      p.task,
      {
        ...solverSettingsFor(T),
        tol: 0,
        signal,
        onIteration: async (rec, { fx }): Promise<'stop' | void> => {
          const d = await iterateX0ToSerial(fx, T, ref, 1);
          onProgress?.({
            phase: 'bench',
            message: `T = ${T}: ${DEFAULT_SOLVER} iteration ${rec.iteration}, ${d.psnr[0].toFixed(1)} dB to the serial x0`,
          });
          if (!meetsX0Criterion(d)) return undefined;
          depth = rec.iteration;
          return 'stop';
        },
      },
      { init: DEFAULT_INIT },
    );
    res.x0.dispose();
    const msToCriterion = depth ? res.history[(depth as number) - 1].wallMs : null;
    out.toCriterion = {
      solver: DEFAULT_SOLVER,
      criterion: `PSNR(x0, serial x0) >= ${X0_PSNR_CRITERION_DB} dB`,
      serialMs: serial.wallMs,
      depth,
      msToCriterion,
      speedup: msToCriterion ? serial.wallMs / msToCriterion : null,
    };
    return out;
  } finally {
    owned.dispose();
  }
}
