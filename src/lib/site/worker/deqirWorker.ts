/// <reference lib="webworker" />
/**
 * The DeqIR Web Worker: owns TF.js (the fastest backend measured here, or the one `?backend=`
 * forces), the loaded priors, and runs one job at a time so the page stays responsive. An error
 * that leaves it unusable (a wasm abort, a lost WebGPU device) is marked `fatal`: the page then
 * replaces the worker. Bundled by scripts/bundleSite.ts into src/pages/_deqir.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { AbortError, ResourceError } from '../../errors.js';
import { speedStep } from './jobs/speedStep.js';
import { runDemo } from './jobs/demo.js';
import { runGradients } from './jobs/gradients.js';
import type { PriorChoice } from '../jobSettings.js';
import { loadPrior, type LoadedPrior } from './loadPrior.js';
import type { Progress } from '../progress.js';
import type { FromWorker, InitRequest, Job, JobResult, ToWorker } from '../protocol.js';
import { selectBackend } from '../../backend/backendSelect.js';
import { onWebgpuLost, registerWebGPU, webgpuLost } from '../../backend/webgpuBackend.js';
import { patchWebGPUSelect } from '../../backend/webgpuSelectRank5.js';
import { runSolvers } from './jobs/solvers.js';
import { runSteering } from './jobs/steering.js';
import { runToy } from './jobs/toy.js';
import { runTrajectory } from './jobs/trajectory.js';
import { unetProbe } from './backendProbe.js';

registerWebGPU();
patchWebGPUSelect();

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker) => scope.postMessage(m);
// A lost device of the backend in use: tell the page now, not when the next job fails on it.
onWebgpuLost((why) => tf.getBackend() === 'webgpu' && post({ type: 'lost', id: 0, message: why }));
const memory = () => {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
};

let init: InitRequest | null = null;
const priors = new Map<PriorChoice, Promise<LoadedPrior>>();
const running = new Map<number, AbortController>();
let queue: Promise<unknown> = Promise.resolve();

/** Priors are loaded once per choice and kept: their weights are part of the memory baseline. */
function prior(choice: PriorChoice): Promise<LoadedPrior> {
  if (!priors.has(choice)) {
    const cfg = init!;
    const p = loadPrior(choice, {
      unetBytes: async () => {
        const r = await fetch(cfg.unetUrl);
        if (!r.ok) throw new Error(`fetching the weights failed: HTTP ${r.status}`);
        return new Uint8Array(await r.arrayBuffer());
      },
      gaussian: cfg.gaussian,
    });
    p.catch(() => priors.delete(choice));
    priors.set(choice, p);
  }
  return priors.get(choice)!;
}

async function run(id: number, job: Job, signal: AbortSignal): Promise<{ result: JobResult; prior?: string }> {
  const onProgress = (progress: Progress) => post({ type: 'progress', id, progress });
  if (job.kind === 'toy') return { result: await runToy(job.request) };
  if (job.kind === 'fault') {
    if (job.fault === 'fatal') throw new Error('Aborted(a simulated wasm abort)');
    setTimeout(() => {
      throw new Error('a simulated uncaught error in the worker');
    });
    return new Promise(() => undefined); // never answers: the page learns of it through onerror
  }
  const choice = job.kind === 'bench' ? job.prior : job.settings.prior;
  onProgress({ phase: 'model', message: `loading the ${choice === 'gaussian' ? 'Gaussian' : 'UNet'} prior` });
  const p = await prior(choice);
  if (signal.aborted) throw new AbortError();
  switch (job.kind) {
    case 'demo':
      return { result: await runDemo(p.model, job.settings, job.truth, { signal, onProgress }), prior: p.note };
    case 'trajectory':
      return { result: await runTrajectory(p.model, job.settings, job.truth, job.solvers, { signal, onProgress }), prior: p.note };
    case 'solvers':
      return { result: await runSolvers(p.model, job.settings, job.truth, job.solvers, { signal, onProgress }), prior: p.note };
    case 'gradients':
      return { result: await runGradients(p.model, job.settings, job.truth, job.request, { signal, onProgress }), prior: p.note };
    case 'steering':
      return { result: await runSteering(p.model, job.settings, job.truth, job.request, { signal, onProgress }), prior: p.note };
    case 'bench': {
      const out = [];
      for (const T of job.T) out.push(await speedStep(p.model, T, job.truth, job.reps, onProgress, signal));
      return { result: out, prior: p.note };
    }
  }
}

/** Errors after which the wasm runtime or the GPU device cannot be trusted: the page starts a fresh worker. */
function unusable(e: Error): boolean {
  // A refusal before allocating (memory budget) leaves the worker as it was, whatever its text says.
  if (e instanceof ResourceError) return false;
  if (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) return true;
  return /^Aborted\(|out of memory|memory access out of bounds|^unreachable|device (was )?lost/i.test(e.message);
}

scope.onmessage = async (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') return running.get(msg.id)?.abort();
  if (msg.type === 'memory') return post({ type: 'memory', id: msg.id, memory: memory() });
  if (msg.type === 'init') {
    init = msg;
    try {
      setWasmPaths(msg.wasmPaths);
      const choice = await selectBackend(msg.order, { measure: msg.measure, probe: unetProbe() });
      post({ type: 'ready', id: msg.id, ...choice });
    } catch (e) {
      post({ type: 'error', id: msg.id, name: 'BackendError', message: (e as Error).message, fatal: true });
    }
    return;
  }
  // One job at a time: a GPU shared by two solves only makes both slower.
  const ctrl = new AbortController();
  running.set(msg.id, ctrl);
  queue = queue.then(async () => {
    try {
      if (ctrl.signal.aborted) throw new AbortError();
      const { result, prior } = await run(msg.id, msg.job, ctrl.signal);
      post({ type: 'result', id: msg.id, result, prior, memory: memory() });
    } catch (e) {
      const err = e as Error;
      const lost = webgpuLost();
      const message = lost ? `${err.message} (the WebGPU device was lost: ${lost})` : err.message;
      const fatal = Boolean(lost) || unusable(err);
      post({ type: 'error', id: msg.id, name: err.name, message, fatal, ...(fatal ? {} : { memory: memory() }) });
    } finally {
      running.delete(msg.id);
    }
  });
};
