import type { DemoResult } from './jobs/demo.js';
import type { BackendTiming, BrowserBackend } from '../backend/backendSelect.js';
import type { JobSettings, PriorChoice, Solver } from './jobSettings.js';
import type { GradientsResult } from './jobs/gradients.js';
import type { GradientRequest, SteeringRequest } from './gradientSettings.js';
import type { SpeedReps, StepTiming } from './jobs/speedStep.js';
import type { Progress } from './progress.js';
import type { SiteDataset } from './sitePriors.js';
import type { SolversComparison } from './jobs/solvers.js';
import type { SteeringResult } from './jobs/steering.js';
import type { ToyRequest, ToyResult } from './jobs/toy.js';
import type { TrajectoryGrid } from './jobs/trajectory.js';

/** Messages between a page and the DeqIR worker. Every request carries an id; replies echo it. */
export interface InitRequest {
  type: 'init';
  id: number;
  order: BrowserBackend[];
  /**
   * Time a small map on every backend of `order` that works and keep the fastest (the default);
   * false keeps the first that works (`?backend=NAME`, and a restarted worker, which reuses the
   * backend its predecessor measured).
   */
  measure: boolean;
  /** URLs of the three TF.js wasm binaries, keyed by file name (served from this site). */
  wasmPaths: Record<string, string>;
  /** Where each prior's files are served; the worker fetches a prior's files only when a job first asks for it. */
  priors: Record<SiteDataset, PriorFiles>;
}

/** URLs of one prior's files: its UNet weights and its shipped subset (the Gaussian fallback is fitted to the subset's prior half). */
export interface PriorFiles {
  weights: string;
  images: string;
  labels: string;
}

export type Job =
  | { kind: 'demo'; settings: JobSettings; truth: Float32Array }
  | { kind: 'trajectory'; settings: JobSettings; truth: Float32Array; solvers: Solver[] }
  | { kind: 'solvers'; settings: JobSettings; truth: Float32Array; solvers: Solver[] }
  | { kind: 'gradients'; settings: JobSettings; truth: Float32Array; request: GradientRequest }
  | { kind: 'steering'; settings: JobSettings; truth: Float32Array; request: SteeringRequest }
  | { kind: 'toy'; request: ToyRequest }
  | { kind: 'bench'; prior: PriorChoice; dataset?: SiteDataset; T: number[]; truth: Float32Array; reps?: SpeedReps }
  /** For tests: fail the way a wasm abort ('fatal') or an uncaught error in the worker ('uncaught') does. */
  | { kind: 'fault'; fault: 'fatal' | 'uncaught' };

export type JobResult = DemoResult | TrajectoryGrid | SolversComparison | GradientsResult | SteeringResult | ToyResult | StepTiming[];

export type ToWorker =
  InitRequest | { type: 'run'; id: number; job: Job } | { type: 'cancel'; id: number } | { type: 'memory'; id: number };

export interface Memory {
  numTensors: number;
  numBytes: number;
}

export type FromWorker =
  | { type: 'ready'; id: number; backend: BrowserBackend; reasons: string[]; timings: BackendTiming[] }
  | { type: 'progress'; id: number; progress: Progress }
  | { type: 'result'; id: number; result: JobResult; prior?: string; memory: Memory }
  /** `fatal`: the worker cannot be trusted any more (a wasm abort, a lost WebGPU device); the page starts a fresh one. */
  | { type: 'error'; id: number; name: string; message: string; memory?: Memory; fatal?: boolean }
  | { type: 'memory'; id: number; memory: Memory }
  /** The active backend's GPU device was lost (not by the worker's own doing): the page replaces the worker. */
  | { type: 'lost'; id: 0; message: string };
