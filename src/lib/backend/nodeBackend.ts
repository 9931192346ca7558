import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';

export type NodeBackendName = 'cpu' | 'wasm';

/**
 * Selects a TF.js backend in Node. tfjs-node cannot be installed on our machines (its install
 * downloads libtensorflow), so wasm is the fast choice and cpu the reference one.
 */
export async function useNodeBackend(name: NodeBackendName = 'wasm'): Promise<string> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
  return tf.getBackend();
}
