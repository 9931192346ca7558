import * as tf from '@tensorflow/tfjs-core';
import { webgpuInitError } from './webgpuBackend.js';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

export interface BackendChoice {
  backend: BrowserBackend;
  /** One line per backend tried before it, saying why it was not used. */
  reasons: string[];
}

/** Why a backend cannot run here, checked before TF.js tries it (TF.js would only log a warning). */
async function unavailable(name: BrowserBackend): Promise<string | null> {
  const g = globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } }; OffscreenCanvas?: unknown; document?: unknown; WebAssembly?: unknown };
  if (name === 'webgpu') {
    // Only check presence: an extra adapter requested here and dropped can leave TF.js's device
    // with a dead instance in Chromium workers ("A valid external Instance reference no longer exists").
    if (!g.navigator?.gpu) return 'this browser exposes no WebGPU (navigator.gpu is missing)';
  }
  if (name === 'webgl' && !g.OffscreenCanvas && !g.document) return 'no OffscreenCanvas for WebGL in a worker';
  if (name === 'wasm' && !g.WebAssembly) return 'no WebAssembly';
  return null;
}

/**
 * Tries the backends in order (default webgpu → webgl → wasm → cpu) and keeps the first that
 * initialises and computes 1 + 1 correctly. `skip` lists backends the reader turned off.
 */
export async function selectBackend(order: readonly BrowserBackend[] = BROWSER_BACKENDS): Promise<BackendChoice> {
  const reasons: string[] = [];
  for (const name of order) {
    const why = await unavailable(name);
    if (why) {
      reasons.push(`${name}: ${why}`);
      continue;
    }
    try {
      if (!(await tf.setBackend(name))) throw new Error((name === 'webgpu' && webgpuInitError()) || 'failed to initialise');
      await tf.ready();
      const two = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)));
      const v = (await two.data())[0];
      two.dispose();
      if (v !== 2) throw new Error(`computed 1 + 1 = ${v}`);
      return { backend: name, reasons };
    } catch (e) {
      reasons.push(`${name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no TF.js backend works here: ${reasons.join('; ')}`);
}
