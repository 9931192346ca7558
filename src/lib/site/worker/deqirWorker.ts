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
import { speedStep } from '../jobs/speedStep.js';
import { runDemo } from '../jobs/demo.js';
import { runGradients } from '../jobs/gradients.js';
import type { PriorChoice } from '../jobSettings.js';
import { loadPrior, type LoadedPrior } from './loadPrior.js';
import type { Progress } from '../progress.js';
import type { FromWorker, InitRequest, Job, JobResult, ToWorker } from '../protocol.js';
import { selectBackend } from '../../backend/backendSelect.js';
import { onWebgpuLost, registerWebGPU, webgpuLost } from '../../backend/webgpuBackend.js';
import { patchWebGPUSelect } from '../../backend/webgpuSelectRank5.js';
import { runSolvers } from '../jobs/solvers.js';
import { runSteering } from '../jobs/steering.js';
import { runToy } from '../jobs/toy.js';
import { runTrajectory } from '../jobs/trajectory.js';
import { unetProbe } from './backendProbe.js';
import { DEFAULT_DATASET, SITE_PRIORS, type SiteDataset } from '../sitePriors.js';
import { checkJobData } from '../checkJob.js';
import { untilAborted } from '../untilAborted.js';
import { PRIOR_FIT_IMAGES, subsetFromFiles } from '../../data/shippedSubset.js';
import { toSignedUnit } from '../../data/labelledImages.js';
import { fitPixelGaussian, PRIOR_VARIANCE_FLOOR, type PixelGaussian } from '../../models/pixelGaussian.js';

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
const priors = new Map<string, Promise<LoadedPrior>>();
const gaussians = new Map<SiteDataset, Promise<PixelGaussian>>();
const running = new Map<number, AbortController>();
let queue: Promise<unknown> = Promise.resolve();

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`fetching ${what} failed: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/** The Gaussian fallback of a dataset: fitted once to its subset's prior half, fetched only when needed. */
function gaussianOf(dataset: SiteDataset): Promise<PixelGaussian> {
  if (!gaussians.has(dataset)) {
    const files = init!.priors[dataset];
    const subset = SITE_PRIORS[dataset].subset;
    const g = Promise.all([fetchBytes(files.images, `the ${subset.name} images`), fetchBytes(files.labels, `the ${subset.name} labels`)])
      .then(([img, lab]) => subsetFromFiles(subset, img, lab))
      .then((set) => fitPixelGaussian(toSignedUnit(set, PRIOR_FIT_IMAGES), PRIOR_FIT_IMAGES.length, PRIOR_VARIANCE_FLOOR));
    g.catch(() => gaussians.delete(dataset));
    gaussians.set(dataset, g);
  }
  return gaussians.get(dataset)!;
}

/**
 * Priors are loaded once per (dataset, choice) and kept: their weights are part of the memory
 * baseline. Nothing of a dataset is fetched before a job asks for it (the colour weights are 12.6 MB).
 */
function prior(dataset: SiteDataset, choice: PriorChoice): Promise<LoadedPrior> {
  const key = `${dataset}:${choice}`;
  if (!priors.has(key)) {
    const files = init!.priors[dataset];
    const p = loadPrior(
      choice,
      { unetBytes: () => fetchBytes(files.weights, `the ${dataset} weights`), gaussian: () => gaussianOf(dataset) },
      dataset,
    );
    p.catch(() => priors.delete(key));
    priors.set(key, p);
  }
  return priors.get(key)!;
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
  const dataset = (job.kind === 'bench' ? job.dataset : job.settings.dataset) ?? DEFAULT_DATASET;
  checkJobData(job, dataset);
  onProgress({ phase: 'model', message: `loading the ${SITE_PRIORS[dataset].label} ${choice === 'gaussian' ? 'Gaussian' : 'UNet'} prior` });
  // A cancel during the download is answered at once; the load goes on and is kept for the next job.
  const p = await untilAborted(prior(dataset, choice), signal);
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
