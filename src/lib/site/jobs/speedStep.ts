import * as tf from '@tensorflow/tfjs-core';
import { timeToHost } from '../../backend/timeToHost.js';
import { deqRestore } from '../../deq/deqRestore.js';
import { deqSystem } from '../../deq/deqSystem.js';
import { throwIfAborted } from '../../errors.js';
import { x0DistancePerImage } from '../../metrics/x0ToSerial.js';
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
  /** The samples, map and step timed alternately after one warm-up each. */
  mapSamples: number[];
  stepSamples: number[];
  /**
   * The whole restoration as a user runs it: the serial chain, and the default solve stopped by its
   * own rule (no oracle), timed alternately. Absent when the caller asked for per-iteration timings only.
   */
  defaultRun?: DefaultRunTiming;
}

export interface DefaultRunTiming {
  solver: string;
  rule: string;
  tol: number;
  /** Median ms of the whole serial chain (T steps) and of the default solve, x0 read back; the samples. */
  serialMs: number;
  deqMs: number;
  serialSamples: number[];
  deqSamples: number[];
  /** Batched calls in a row and network evaluations per image of the default solve. */
  depth: number;
  nfe: number;
  /** PSNR of its x0 to the serial x0 (Infinity: identical). */
  psnrToSerial: number;
  /** serialMs / deqMs: above 1, DeqIR restores faster than the chain on this device. */
  speedup: number;
}

export interface SpeedReps {
  map: number;
  step: number;
  /** Whole restorations (serial chain and default solve, alternately; default 1; 0 skips them). */
  whole?: number;
}

/**
 * Per-iteration wall time of the DeqIR map and of one serial step on the current backend, after one
 * untimed warm-up each (shader compilation, wasm start-up), timed alternately so that a drift of the
 * device touches both alike; then (unless reps.whole is 0) the whole restoration as a user runs it:
 * the serial chain and the default solve at its own stop, alternately, after a warm-up of each. Same
 * problem as the overview default.
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
    const stepSamples: number[] = [];
    for (let i = 0; i < Math.max(reps.map, reps.step); i++) {
      throwIfAborted(signal);
      if (i < reps.map) mapSamples.push(await timeToHost(mapOnce));
      if (i < reps.step) stepSamples.push(await timeToHost(stepOnce));
      onProgress?.({
        phase: 'bench',
        message: i < reps.map ? `T = ${T}: map ${i + 1}/${reps.map}` : `T = ${T}: step ${i + 1}/${reps.step}`,
      });
    }
    const out: StepTiming = { T, mapMs: median(mapSamples), stepMs: median(stepSamples), mapSamples, stepSamples };
    const whole = reps.whole ?? 1;
    if (whole <= 0) return out;
    const settings = { ...solverSettingsFor(T), signal };
    const once = async () => {
      throwIfAborted(signal);
      const serial = await serialChain(p.task, { signal });
      const ref = await serial.x0.data();
      serial.x0.dispose();
      await yieldToEvents();
      const res = await deqRestore(p.task, settings, { init: DEFAULT_INIT });
      const psnr = x0DistancePerImage(await res.x0.data(), ref, 1).psnr[0];
      res.x0.dispose();
      return { serialMs: serial.wallMs, deqMs: res.wallMs, depth: res.sequentialDepth, nfe: res.nfe, psnr };
    };
    onProgress?.({ phase: 'bench', message: `T = ${T}: warm-up of the whole restoration` });
    await once();
    const runs = [];
    for (let i = 0; i < whole; i++) {
      onProgress?.({ phase: 'bench', message: `T = ${T}: whole restoration ${i + 1}/${whole}` });
      runs.push(await once());
    }
    const serialSamples = runs.map((r) => r.serialMs);
    const deqSamples = runs.map((r) => r.deqMs);
    const last = runs[runs.length - 1];
    out.defaultRun = {
      solver: DEFAULT_SOLVER,
      rule: settings.rule ?? '',
      tol: settings.tol ?? 0,
      serialMs: median(serialSamples),
      deqMs: median(deqSamples),
      serialSamples,
      deqSamples,
      depth: last.depth,
      nfe: last.nfe,
      psnrToSerial: last.psnr,
      speedup: median(serialSamples) / median(deqSamples),
    };
    return out;
  } finally {
    owned.dispose();
  }
}
