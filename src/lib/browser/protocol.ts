import type { DemoResult } from './demoRun.js';
import type { BrowserBackend } from './backendSelect.js';
import type { DemoSettings, PriorChoice, Solver } from './demoSettings.js';
import type { GradientsResult } from './gradientRun.js';
import type { GradientRequest, SteeringRequest } from './gradientSettings.js';
import type { StepTiming } from './benchStep.js';
import type { Progress } from './progress.js';
import type { SolversComparison } from './solversRun.js';
import type { SteeringResult } from './steeringRun.js';
import type { ToyRequest, ToyResult } from './toy2d.js';
import type { TrajectoryGrid } from './trajectoryRun.js';

/** Messages between a page and the DeqIR worker. Every request carries an id; replies echo it. */
export interface InitRequest {
  type: 'init';
  id: number;
  order: BrowserBackend[];
  /** URLs of the three TF.js wasm binaries, keyed by file name (served from this site). */
  wasmPaths: Record<string, string>;
  unetUrl: string;
  /** Per-pixel mean and variance for the Gaussian fallback prior. */
  gaussian: { mean: Float32Array; variance: Float32Array };
}

export type Job =
  | { kind: 'demo'; settings: DemoSettings; truth: Float32Array }
  | { kind: 'trajectory'; settings: DemoSettings; truth: Float32Array; solvers: Solver[] }
  | { kind: 'solvers'; settings: DemoSettings; truth: Float32Array; solvers: Solver[] }
  | { kind: 'gradients'; settings: DemoSettings; truth: Float32Array; request: GradientRequest }
  | { kind: 'steering'; settings: DemoSettings; truth: Float32Array; request: SteeringRequest }
  | { kind: 'toy'; request: ToyRequest }
  | { kind: 'bench'; prior: PriorChoice; T: number[]; truth: Float32Array; reps?: { map: number; step: number } };

export type JobResult = DemoResult | TrajectoryGrid | SolversComparison | GradientsResult | SteeringResult | ToyResult | StepTiming[];

export type ToWorker =
  | InitRequest
  | { type: 'run'; id: number; job: Job }
  | { type: 'cancel'; id: number }
  | { type: 'memory'; id: number };

export interface Memory {
  numTensors: number;
  numBytes: number;
}

export type FromWorker =
  | { type: 'ready'; id: number; backend: BrowserBackend; reasons: string[] }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; result: JobResult; prior?: string; memory: Memory }
  | { type: 'error'; id: number; name: string; message: string; memory?: Memory }
  | { type: 'memory'; id: number; memory: Memory };
