/**
 * Registers TF.js's op gradients (tf.grad / tf.grads need them). tfjs-core's Node build does not
 * include them and its ESM `dist/register_all_gradients.js` uses directory imports that Node
 * cannot load, so we import the union package, whose Node build registers them on the same
 * tfjs-core instance (bundlers resolve its ESM build the same way).
 */
import '@tensorflow/tfjs';
