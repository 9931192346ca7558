import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { trainingStatus } from '../../src/lib/quality/trainingStatus.js';

describe("a prior's training status, as the pages word it", () => {
  const card = (steps: number, command?: string, all?: string) => ({
    training: { steps, command },
    quality: all ? { verdicts: { all } } : null,
  });

  it('reads the target from the run command and says whether the weights are its last', () => {
    expect(trainingStatus(card(1917, 'npm run train -- --data emoji --steps 8000 --workers 2'))).toEqual({
      steps: 1917,
      targetSteps: 8000,
      finished: false,
      bar: 'not measured',
    });
    expect(trainingStatus(card(8000, 'npm run train -- --steps=8000', 'passes'))).toMatchObject({ finished: true, bar: 'passes' });
    expect(trainingStatus(card(500, undefined, 'fails'))).toMatchObject({ targetSteps: null, finished: true, bar: 'fails' });
    expect(trainingStatus(card(10, '--steps 20', 'something else')).bar).toBe('not measured');
  });

  it('the shipped colour card names its target: the one in its own training command, which its steps have not passed', () => {
    const card = JSON.parse(readFileSync('models/emoji-unet.card.json', 'utf8'));
    const t = trainingStatus(card);
    // Read independently of trainingStatus's parser: a longer run is a new target, not an error.
    const target = Number(/--steps[ =](\d+)/.exec(card.training.command)![1]);
    expect(t.targetSteps).toBe(target);
    expect(t.steps).toBeGreaterThan(0);
    expect(t.steps).toBeLessThanOrEqual(target);
  });
});
