import { fdRecordable } from './fdSamples.js';
import { measuredOnWeights } from './weightsRecord.js';

export type Verdict = 'passes' | 'fails' | 'not measured';

/** The bar's verdicts, part by part and overall, with the weights they were measured on. */
export interface BarVerdicts {
  fdCls: Verdict;
  classCoverage: Verdict;
  restorationSanity: Verdict;
  /** 'passes' only when every part passes. */
  all: Verdict;
  weightsSha256: string;
}

const verdictOf = (part: unknown): Verdict => {
  const p = (part as { passes?: unknown } | null | undefined)?.passes;
  return (
    typeof p === 'boolean' ?
      p ? 'passes'
      : 'fails'
    : 'not measured'
  );
};

/**
 * What a model card keeps of a quality record: nothing measured on other weights; no FD-cls or
 * coverage from fewer than FD_CARD_SAMPLES samples; and the verdicts recomputed from what is left.
 * scripts/quality.ts writes the record through it and scripts/modelCard.ts keeps it through it.
 */
export function cardQuality(record: unknown, weightsSha256: string): (Record<string, unknown> & { verdicts: BarVerdicts }) | null {
  if (!measuredOnWeights(record, weightsSha256)) return null;
  const { verdicts: _old, ...rest } = record;
  void _old;
  const q: Record<string, unknown> = { ...rest };
  if (!fdRecordable(Number(q.samples)))
    for (const k of ['fdCls', 'classCoverage', 'samples', 'sampleSeconds', 'referenceImages', 'floorImages']) delete q[k];
  return { ...q, verdicts: { ...partVerdicts(q), weightsSha256 } };
}

/** Each part's verdict and the whole bar's: 'passes' only when every part passes, 'fails' when any fails. */
export function partVerdicts(q: {
  fdCls?: unknown;
  classCoverage?: unknown;
  restorationSanity?: unknown;
}): Omit<BarVerdicts, 'weightsSha256'> {
  const v = { fdCls: verdictOf(q.fdCls), classCoverage: verdictOf(q.classCoverage), restorationSanity: verdictOf(q.restorationSanity) };
  const parts = Object.values(v);
  const all: Verdict =
    parts.includes('fails') ? 'fails'
    : parts.every((x) => x === 'passes') ? 'passes'
    : 'not measured';
  return { ...v, all };
}

/** What one phase of scripts/quality.ts measured: FD-cls with coverage, or restoration sanity. */
export interface QualityPart {
  quality?: object;
  restorationSanity?: object;
}

/**
 * The card's quality record after one phase: the phase's part over what was measured earlier on
 * the same weights (anything measured on other weights is dropped). scripts/quality.ts writes it
 * after each phase, so a run stopped during restoration sanity keeps its FD-cls and coverage.
 */
export function mergedQuality(previous: unknown, part: QualityPart, weightsSha256: string): ReturnType<typeof cardQuality> {
  const old = measuredOnWeights(previous, weightsSha256) ? previous : {};
  const oldRestoration = measuredOnWeights(old.restorationSanity, weightsSha256) ? old.restorationSanity : 'not measured';
  return cardQuality(
    { ...old, ...(part.quality ?? {}), restorationSanity: part.restorationSanity ?? oldRestoration, weightsSha256 },
    weightsSha256,
  );
}
