import { ParameterError } from '../errors.js';
import { clipToImageRange } from '../metrics/psnr.js';
import type { Classifier } from './classifier.js';
import { pairedFdSanity, type PairedFdSanity } from './pairedFdSanity.js';
import type { RestorationSanity } from './restorationSanity.js';
import { sanityMeasure, type SanityMeasure } from './sanityMeasure.js';

/** A restoration-sanity record with its verdict: what the model card keeps (no images). */
export type JudgedSanity = Omit<RestorationSanity, 'kept'> & { measure: SanityMeasure; passes: boolean; pairedFdCls?: PairedFdSanity };

/**
 * The bar's verdict on one task's restoration sanity, by the task's measure (sanityMeasure.ts):
 * PSNR of the serial chain above A+y's, or, for colorization, paired FD-cls whose 95 % interval
 * lies below zero. The latter needs the record's kept images (restorationSanity with keepImages)
 * and the bar's classifier; without them it is a ParameterError naming what is missing.
 */
export async function judgeSanity(
  r: RestorationSanity,
  clf: Classifier | null,
  o: { resamples?: number; seed?: number } = {},
): Promise<JudgedSanity> {
  const { kept, ...record } = r;
  const measure = sanityMeasure(r.taskName);
  if (measure === 'psnr') return { ...record, measure, passes: r.psnrSerial > r.psnrApy };
  if (!kept) throw new ParameterError(`${r.taskName} is judged by paired FD-cls: run restorationSanity with keepImages`, 'keepImages');
  if (!clf) throw new ParameterError(`${r.taskName} is judged by paired FD-cls, which needs the quality bar's classifier`, 'classifier');
  // As a saved image would be: the classifier never sees values outside [-1, 1].
  const clipped = (a: Float32Array) => a.map(clipToImageRange);
  const pairedFdCls = await pairedFdSanity(
    clf,
    { originals: kept.originals, restored: clipped(kept.restored), baseline: clipped(kept.apy) },
    r.images,
    o,
  );
  return { ...record, measure, passes: pairedFdCls.passes, pairedFdCls };
}
