import { ParameterError } from '../../errors.js';
import type { BatchShard } from '../../training/trainer.js';

/** Splits a batch into `parts` contiguous shards whose sizes differ by at most one. */
export function splitBatch(batchSize: number, parts: number): BatchShard[] {
  if (!Number.isInteger(parts) || parts < 1) throw new ParameterError(`workers must be an integer >= 1, got ${parts}`, 'workers');
  if (parts > batchSize)
    throw new ParameterError(`workers (${parts}) must not exceed the batch size (${batchSize}): each needs at least one image`, 'workers');
  const shards: BatchShard[] = [];
  let start = 0;
  for (let i = 0; i < parts; i++) {
    const end = start + Math.floor(batchSize / parts) + (i < batchSize % parts ? 1 : 0);
    shards.push({ start, end });
    start = end;
  }
  return shards;
}
