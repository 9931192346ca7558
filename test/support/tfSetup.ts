import * as tf from '@tensorflow/tfjs-core';
import type { NodeBackendName } from '../../src/lib/backend/nodeBackend.js';

/**
 * Tests run on the reference cpu backend unless TFJS_BACKEND=wasm asks for the fast one; the setup
 * file (setupBackend.ts) selects it before any test file is collected.
 */
export const TEST_BACKEND = (process.env.TFJS_BACKEND ?? 'cpu') as NodeBackendName;

/** Runs fn and checks that it leaves no tensor behind (after disposing what it returns). */
export async function expectNoLeak<T>(fn: () => Promise<T> | T, release: (r: T) => void = () => {}): Promise<T> {
  const before = tf.memory().numTensors;
  const r = await fn();
  release(r);
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`tensor leak: ${after - before} tensors left behind (before ${before}, after ${after})`);
  return r;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
