import { toSignedUnit } from '../data/labelledImages.js';
import { PRIOR_FIT_IMAGES, SHIPPED_SUBSETS, type ShippedSubsetName } from '../data/shippedSubset.js';
import { ParameterError } from '../errors.js';
import type { ImageShape } from '../image/imageShape.js';
import type { EpsModel } from '../models/epsModel.js';
import { fittedGaussianPrior } from '../models/gaussianPrior.js';
import { loadBenchmarkSubset } from './benchmarkSubset.js';
import { loadModelFile } from './loadModelFile.js';

/** The prefix of a named analytic prior in `--model` (anything else is a weight file's path). */
const GAUSSIAN_PRIOR_PREFIX = 'gaussian:';
export const NAMED_PRIORS = Object.keys(SHIPPED_SUBSETS).map((n) => GAUSSIAN_PRIOR_PREFIX + n);

/**
 * What `--model` names: a UNet weight file of any image shape (loadModelFile), or
 * `gaussian:fashion` / `gaussian:emoji`, the diagonal Gaussian prior fitted to that shipped
 * subset's PRIOR_FIT_IMAGES half — a colour prior that runs offline without trained weights, and
 * whose `--image N` pictures (the other half) it never saw. A file whose name starts with
 * `gaussian:` is reached as ./gaussian:...
 */
export async function loadModelSpec(spec: string, imageShape?: ImageShape, dataDir = 'data'): Promise<EpsModel> {
  if (!spec.startsWith(GAUSSIAN_PRIOR_PREFIX)) return loadModelFile(spec, imageShape);
  const name = spec.slice(GAUSSIAN_PRIOR_PREFIX.length);
  if (!Object.hasOwn(SHIPPED_SUBSETS, name))
    throw new ParameterError(`unknown prior '${spec}' (available: ${NAMED_PRIORS.join(', ')}, or a .safetensors file)`, 'model');
  const subset = SHIPPED_SUBSETS[name as ShippedSubsetName];
  if (imageShape && subset.shape.join() !== imageShape.join())
    throw new ParameterError(
      `prior ${spec} works on images [${subset.shape.join(', ')}], the problem has [${imageShape.join(', ')}]`,
      'model',
    );
  const set = loadBenchmarkSubset(dataDir, subset);
  return fittedGaussianPrior(toSignedUnit(set, PRIOR_FIT_IMAGES), PRIOR_FIT_IMAGES.length, subset.shape);
}
