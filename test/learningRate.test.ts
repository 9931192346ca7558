import { describe, expect, it } from 'vitest';
import { cooldownError, learningRateAt } from '../src/lib/training/learningRate.js';

describe('the learning-rate schedule', () => {
  const lr = 1e-3;

  it('warms up linearly, then holds lr when no cool-down is set', () => {
    const h = { lr, warmupSteps: 4 };
    expect([0, 1, 2, 3, 4, 10_000].map((s) => learningRateAt(h, s))).toEqual([0.25 * lr, 0.5 * lr, 0.75 * lr, lr, lr, lr]);
  });

  it('a cool-down holds lr up to its start, then falls linearly to 0 at its end and stays there', () => {
    const h = { lr, warmupSteps: 1, cooldown: { from: 100, to: 200 } };
    expect(learningRateAt(h, 50)).toBe(lr);
    expect(learningRateAt(h, 100)).toBe(lr);
    expect(learningRateAt(h, 150)).toBeCloseTo(0.5 * lr, 15);
    expect(learningRateAt(h, 199)).toBeCloseTo(0.01 * lr, 15);
    expect(learningRateAt(h, 200)).toBe(0);
    expect(learningRateAt(h, 250)).toBe(0);
  });

  it('warm-up and cool-down overlap by taking the smaller factor', () => {
    const h = { lr, warmupSteps: 10, cooldown: { from: 0, to: 10 } };
    expect(learningRateAt(h, 0)).toBeCloseTo(0.1 * lr, 15);
    expect(learningRateAt(h, 8)).toBeCloseTo(0.2 * lr, 15);
  });

  it('refuses cool-downs that end before they start, are not whole steps, or end before the run', () => {
    expect(cooldownError({ from: 100, to: 200 }, 150)).toBeNull();
    expect(cooldownError({ from: 200, to: 200 }, 0)).toMatch(/end after it starts/);
    expect(cooldownError({ from: 1.5, to: 200 }, 0)).toMatch(/whole steps/);
    expect(cooldownError({ from: Number.NaN, to: 200 }, 0)).toMatch(/whole steps/);
    expect(cooldownError({ from: -1, to: 200 }, 0)).toMatch(/before step 0/);
    expect(cooldownError({ from: 100, to: 200 }, 200)).toMatch(/already at step 200/);
  });
});
