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
  quality?: { verdicts?: { all?: string } } | null;
}

export function trainingStatus(card: CardLike): TrainingStatus {
  const m = /--steps[ =](\d+)/.exec(card.training.command ?? '');
  const targetSteps = m ? Number(m[1]) : null;
  const v = card.quality?.verdicts?.all;
  return {
    steps: card.training.steps,
    targetSteps,
    finished: targetSteps === null || card.training.steps >= targetSteps,
    bar: v === 'passes' || v === 'fails' ? v : 'not measured',
  };
}
