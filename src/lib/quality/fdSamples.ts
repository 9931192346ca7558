import { ParameterError } from '../errors.js';

/**
 * How many samples an FD-cls may rest on. FD is a set statistic on 128 features: its small-sample
 * bias grows like (feature dimension) / n, so a few hundred samples give a number that is mostly
 * bias. Below FD_MIN_SAMPLES the quality script refuses unless a smoke run asks for it explicitly
 * (tests, dry runs); a model card records an FD only from FD_CARD_SAMPLES or more (the bar's 2,000).
 */
const FD_MIN_SAMPLES = 500;
export const FD_CARD_SAMPLES = 2000;
/** The bar: FD-cls of the model's samples at most FD_BAR_RATIO times the naive Gaussian's. */
export const FD_BAR_RATIO = 0.2;
/** The bar's sampler: DDIM (eta = 0) with FD_SAMPLE_T steps, drawn FD_SAMPLE_BATCH images at a time. */
export const FD_SAMPLE_T = 50;
export const FD_SAMPLE_BATCH = 100;

/** Throws ParameterError (field 'samples') for a count FD-cls must not be computed from. */
export function checkFdSamples(samples: number, allowFewSamples = false): void {
  if (!Number.isInteger(samples) || samples < 2)
    throw new ParameterError(`samples ${samples}: FD-cls needs an integer count of at least 2`, 'samples');
  if (samples < FD_MIN_SAMPLES && !allowFewSamples)
    throw new ParameterError(
      `samples ${samples}: FD-cls from fewer than ${FD_MIN_SAMPLES} samples is mostly small-sample bias; pass --smoke to run it anyway (it is never written to a card)`,
      'samples',
    );
}

/** Whether an FD-cls from this many samples may go into a model card. */
export const fdRecordable = (samples: number): boolean => samples >= FD_CARD_SAMPLES;
