import { ParameterError } from '../errors.js';
import { checkTaskChannels } from '../operators/taskRegistry.js';
import type { Job } from './protocol.js';
import { SITE_DATASETS, SITE_PRIORS, imageSize, planeSize, type SiteDataset } from './sitePriors.js';

/**
 * Refuses a job whose data does not fit its prior before anything is fetched or allocated: an
 * unknown dataset, a task the prior's channels cannot run (colorize on grey), an image or a mask
 * of another size (a grey image sent with the colour prior). Each error names the field at fault.
 */
export function checkJobData(job: Job, dataset: SiteDataset): void {
  if (!SITE_DATASETS.includes(dataset))
    throw new ParameterError(`unknown dataset '${String(dataset)}' (available: ${SITE_DATASETS.join(', ')})`, 'dataset');
  const { shape, subset } = SITE_PRIORS[dataset];
  if ('settings' in job) {
    checkTaskChannels(job.settings.task, shape);
    const mask = job.settings.mask;
    if (mask && mask.length !== planeSize(dataset))
      throw new ParameterError(
        `mask has ${mask.length} values; the ${subset.name} images need ${planeSize(dataset)} (${shape[0]}x${shape[1]})`,
        'mask',
      );
  }
  if ('truth' in job && job.truth.length !== imageSize(dataset))
    throw new ParameterError(
      `truth has ${job.truth.length} values; the ${subset.name} prior takes [${shape.join(', ')}] images (${imageSize(dataset)} values)`,
      'truth',
    );
}
