import { barVerdict, type CardQualityRecord } from './qualityBarRows.js';

/**
 * Where a shipped prior's training stands, read from its model card: the steps its weights have,
 * the steps its run was started for (the `--steps` of the card's training command) and its quality
 * bar's verdict. The pages' caveats about an unfinished prior are worded from this, not written in.
 */
export interface TrainingStatus {
  steps: number;
  /** The run's target (`--steps N` in its command); null when the command does not say. */
  targetSteps: number | null;
  /** The weights are the run's last (or the target is unknown). */
  finished: boolean;
  bar: 'passes' | 'fails' | 'not measured';
}

interface CardLike {
  training: { steps: number; command?: string };
  quality?: CardQualityRecord | null;
}

export function trainingStatus(card: CardLike): TrainingStatus {
  const m = /--steps[ =](\d+)/.exec(card.training.command ?? '');
  const targetSteps = m ? Number(m[1]) : null;
  return {
    steps: card.training.steps,
    targetSteps,
    finished: targetSteps === null || card.training.steps >= targetSteps,
    bar: barVerdict(card.quality),
  };
}

/** One sentence (no final stop) on where a prior's training stands: the pages and docs/results.md word it so. */
export function trainingStatusText(t: TrainingStatus): string {
  const steps = t.steps.toLocaleString('en-US');
  const where =
    t.finished || t.targetSteps === null ?
      `These weights are their training run's last, after ${steps} steps`
    : `These weights are still in training: ${steps} of ${t.targetSteps.toLocaleString('en-US')} steps`;
  const bar =
    t.bar === 'passes' ? 'they pass their quality bar'
    : t.bar === 'fails' ? 'they do not pass their quality bar'
    : 'their quality bar has not been measured on them, so nothing here claims it';
  return `${where}; ${bar}`;
}
