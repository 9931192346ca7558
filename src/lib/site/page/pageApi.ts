/**
 * What the pages import (bundled to src/pages/_deqir/deqir-client.js). It holds no TF.js: the
 * numerics run in the worker, so pages load fast and stay responsive.
 */
export { DeqirClient, WorkerFailedError, type ClientEvent, type ClientOptions, type JobReply } from './deqirClient.js';
export { BROWSER_BACKENDS, type BackendTiming, type BrowserBackend } from '../../backend/browserBackends.js';
export * from '../jobSettings.js';
export { DEFAULT_TOL, X0_BUDGET, X0_TOL_MAX, defaultMaxIter, defaultTol } from '../../deq/solvers/solverDefaults.js';
export { STOP_RULES } from '../../deq/solvers/solverTypes.js';
export { MAX_ITER_RANGE, T_RANGE } from '../../bounds.js';
export { fitPixelGaussian, PRIOR_VARIANCE_FLOOR } from '../../models/pixelGaussian.js';
export { PICKER_IMAGES, PRIOR_FIT_IMAGES, subsetFromFiles } from '../../data/shippedSubset.js';
export * from '../sitePriors.js';
export { COLORIZE_SETTINGS, COLORIZE_CATEGORIES, colorizeRow } from '../colorizeDemo.js';
export { trainingStatus, trainingStatusText, type TrainingStatus } from '../../quality/trainingStatus.js';
export { formatNumber, qualityBarRows, qualityBars } from '../../quality/qualityBarRows.js';
export { latencyRows } from '../../models/cardTiming.js';
export { decodeImage, encodeImage } from '../imageCodec.js';
export { imageFileToPixels, ACCEPTED_TYPES } from './uploadImage.js';
export { labelledFromIdx, toSignedUnit, FASHION_CLASSES } from '../../data/labelledImages.js';
export { boxMask } from '../../operators/masks.js';
export { TOY_COMPONENTS } from '../toyComponents.js';
export { AbortError } from '../../errors.js';
export * from '../gradientSettings.js';
// The schedule and step scalars (no TF.js): the pages compute the timestep grid and the closed
// form's weights from the same code the solver uses, instead of quoting numbers.
export { linearSchedule } from '../../schedule/linearSchedule.js';
export { stepCoefficients } from '../../schedule/stepCoefficients.js';
export { timestepSubsequence } from '../../schedule/timesteps.js';
