/**
 * Quality figures belong to one set of weights: each record carries the sha256 of the weight file it
 * was measured on, and a model card keeps a record only while it describes the same file.
 */
export function measuredOnWeights(record: unknown, weightsSha256: string): record is Record<string, unknown> {
  return typeof record === 'object' && record !== null && (record as { weightsSha256?: unknown }).weightsSha256 === weightsSha256;
}
