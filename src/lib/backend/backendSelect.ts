import * as tf from '@tensorflow/tfjs-core';
import { webgpuAdapterName, webgpuInitError } from './webgpuBackend.js';

import { BROWSER_BACKENDS, type BackendTiming, type BrowserBackend } from './browserBackends.js';

export { type BackendTiming, type BrowserBackend };

export interface BackendChoice {
  backend: BrowserBackend;
  /** One line per backend that could not run here, saying why. */
  reasons: string[];
  /** The measurements the choice rests on (empty when nothing was measured: a forced order or a single working backend). */
  timings: BackendTiming[];
}

/**
 * Times a fixed workload on the active backend: resolves with the median ms, or rejects once
 * `deadlineMs` has passed (a software adapter's warm-up alone can take seconds).
 */
export type BackendProbe = (deadlineMs: number) => Promise<number>;

export interface SelectOptions {
  /** Time every working backend with `probe` and keep the fastest; without it, the first that works. */
  measure?: boolean;
  probe?: BackendProbe;
  /** The deadline of a hardware adapter's (and wasm's) probe. */
  deadlineMs?: number;
  /** A software adapter gets max(softwareMinMs, softwareFactor × the best time so far). */
  softwareMinMs?: number;
  softwareFactor?: number;
  /** For tests: how a backend is made active and described (default: TF.js and the browser). */
  env?: { activate(name: BrowserBackend): Promise<void>; describe(name: BrowserBackend): { device?: string; software?: boolean } };
}

/** Why a backend cannot run here, checked before TF.js tries it (TF.js would only log a warning). */
async function unavailable(name: BrowserBackend): Promise<string | null> {
  const g = globalThis as {
    navigator?: { gpu?: { requestAdapter(): Promise<unknown> } };
    OffscreenCanvas?: unknown;
    document?: unknown;
    WebAssembly?: unknown;
  };
  if (name === 'webgpu') {
    // Only check presence: an extra adapter requested here and dropped can leave TF.js's device
    // with a dead instance in Chromium workers ("A valid external Instance reference no longer exists").
    if (!g.navigator?.gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  }
  if (name === 'webgl' && !g.OffscreenCanvas && !g.document) return 'no OffscreenCanvas for WebGL in a worker';
  if (name === 'wasm' && !g.WebAssembly) return 'no WebAssembly';
  return null;
}

/** Renderers that are CPUs pretending to be GPUs. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** The adapter or renderer behind the active GPU backend, and whether it is software. */
function describeBackend(name: BrowserBackend): { device?: string; software?: boolean } {
  if (name === 'webgpu') {
    const a = webgpuAdapterName();
    return a ? { device: a.name, software: a.fallback || SOFTWARE_RENDERER.test(a.name) } : {};
  }
  if (name === 'webgl') {
    try {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (!gl) return {};
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const device = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
      return { device, software: SOFTWARE_RENDERER.test(device) };
    } catch {
      return {};
    }
  }
  return {};
}

/** Makes `name` the active backend and checks that it computes 1 + 1; throws with the reason. */
async function activateBackend(name: BrowserBackend): Promise<void> {
  const why = await unavailable(name);
  if (why) throw new Error(why);
  if (!(await tf.setBackend(name))) throw new Error((name === 'webgpu' && webgpuInitError()) || 'failed to initialise');
  await tf.ready();
  const two = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
  const v = (await two.data())[0];
  two.dispose();
  if (v !== 2) throw new Error(`computed 1 + 1 = ${v}`);
}

/**
 * Without `measure`: tries the backends in order and keeps the first that initialises and computes
 * 1 + 1 correctly (`?backend=NAME` forces NAME this way). With `measure`: initialises every backend
 * of `order` but cpu, times `probe` on each that works (wasm first, then hardware GPU adapters, then
 * software ones against a deadline scaled from the best time so far) and keeps the fastest; a
 * software adapter wins only by measuring faster. cpu is the last resort when nothing else works.
 */
export async function selectBackend(order: readonly BrowserBackend[] = BROWSER_BACKENDS, opts: SelectOptions = {}): Promise<BackendChoice> {
  const reasons: string[] = [];
  const activate = opts.env?.activate ?? activateBackend;
  const describeActive = opts.env?.describe ?? describeBackend;
  if (!opts.measure || !opts.probe) {
    for (const name of order) {
      try {
        await activate(name);
        return { backend: name, reasons, timings: [] };
      } catch (e) {
        reasons.push(`${name}: ${(e as Error).message}`);
      }
    }
    throw new Error(`no TF.js backend works here: ${reasons.join('; ')}`);
  }
  const working: { name: BrowserBackend; device?: string; software?: boolean }[] = [];
  for (const name of order.filter((n) => n !== 'cpu')) {
    try {
      await activate(name);
      working.push({ name, ...describeActive(name) });
    } catch (e) {
      reasons.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (working.length === 0) {
    if (!order.includes('cpu')) throw new Error(`no TF.js backend works here: ${reasons.join('; ')}`);
    await activate('cpu');
    return { backend: 'cpu', reasons, timings: [] };
  }
  if (working.length === 1) {
    await activate(working[0].name);
    return { backend: working[0].name, reasons, timings: [] };
  }
  const rank = (w: (typeof working)[number]) =>
    w.name === 'wasm' ? 0
    : w.software ? 2
    : 1;
  const queue = [...working].sort((a, b) => rank(a) - rank(b));
  const timings: BackendTiming[] = [];
  let best = Infinity;
  for (const w of queue) {
    const deadline =
      w.software ?
        Math.max(opts.softwareMinMs ?? 3000, (opts.softwareFactor ?? 20) * (Number.isFinite(best) ? best : 0))
      : (opts.deadlineMs ?? 20_000);
    const t: BackendTiming = {
      backend: w.name,
      ms: null,
      ...(w.device ? { device: w.device } : {}),
      ...(w.software ? { software: true } : {}),
    };
    try {
      await activate(w.name);
      t.ms = await opts.probe(deadline);
      best = Math.min(best, t.ms);
    } catch (e) {
      t.note = (e as Error).message;
    }
    timings.push(t);
  }
  const timed = timings.filter((t) => t.ms !== null) as (BackendTiming & { ms: number })[];
  const chosen = timed.length ? timed.reduce((a, b) => (b.ms < a.ms ? b : a)).backend : queue[0].name;
  await activate(chosen);
  return { backend: chosen, reasons, timings };
}
