import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs a gradient computation (tf.grad, tf.grads, tf.valueAndGrads) and, when it throws, frees the
 * tensors its tape saved for the backward pass. TF.js keeps those (engine.keep, so no tidy frees
 * them) and releases them only after a backward pass that succeeds: an error inside the
 * differentiated function (a failing model, a backend out of memory) would leave them allocated
 * for good.
 */
export function releasingTapeOnFailure<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    const state = tf.engine().state;
    // Inside an outer gradient (depth > 0) the tape is still in use; the outermost call frees it.
    if (state.gradientDepth === 0 && state.activeTape) {
      for (const node of state.activeTape) node.saved?.forEach((t) => t.dispose());
      state.activeTape = null as unknown as typeof state.activeTape;
    }
    throw err;
  }
}
