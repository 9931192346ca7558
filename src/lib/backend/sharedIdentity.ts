import * as tf from '@tensorflow/tfjs-core';

/**
 * A training speed-up for the wasm backend: Identity shares its input's buffer (refcount + 1, as
 * wasm's own Reshape does) instead of copying it.
 *
 * Why: while a gradient tape records, TF.js saves every tensor a backward pass needs through
 * Identity (engine.clone), and wasm's Identity copies the buffer. One UNet training step makes
 * ~700 such copies (profile of a grey step: ~3 % of kernel time plus their allocations). TF.js
 * tensors are immutable, so a shared buffer holds the same values the copy would: results are
 * bit-identical (test/sharedIdentity.test.ts). It replaces a global kernel, so it is opt-in and
 * reversible (the training benchmark compares both in one process).
 */
const BACKEND = 'wasm';
let original: tf.KernelConfig | null = null;

interface RefCountingBackend {
  incRef(dataId: object): void;
}

const shared: tf.KernelConfig = {
  kernelName: 'Identity',
  backendName: BACKEND,
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
};

/** Turns the shared Identity on or off for the wasm backend (idempotent). */
export function useSharedIdentity(on: boolean): void {
  const current = tf.getKernel('Identity', BACKEND);
  if (!current) throw new Error('useSharedIdentity: the wasm backend is not loaded');
  if (on === (current === shared)) return;
  tf.unregisterKernel('Identity', BACKEND);
  if (on) {
    original = current;
    tf.registerKernel(shared);
  } else {
    tf.registerKernel(original!);
    original = null;
  }
}

export const sharedIdentityOn = (): boolean => tf.getKernel('Identity', BACKEND) === shared;
