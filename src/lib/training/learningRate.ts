/**
 * The learning-rate schedule: linear warm-up, a constant plateau, and an optional linear cool-down
 * to zero at the end of the run (warmup-stable-decay). The cool-down is set when a long run is
 * resumed for its last steps, so it lives in the checkpoint's hyper-parameters like the rest.
 */
export interface LearningRateSchedule {
  lr: number;
  /** Linear learning-rate warm-up over this many steps. */
  warmupSteps: number;
  /** Linear decay from lr at step `from` to 0 at step `to` (absent: constant after warm-up). */
  cooldown?: Cooldown;
}

export interface Cooldown {
  from: number;
  to: number;
}

/** The learning rate of step `step` (0-based: the update that makes step + 1). */
export function learningRateAt(h: LearningRateSchedule, step: number): number {
  const warm = Math.min(1, (step + 1) / Math.max(1, h.warmupSteps));
  if (!h.cooldown) return h.lr * warm;
  const { from, to } = h.cooldown;
  const cool = Math.min(1, Math.max(0, (to - step) / (to - from)));
  return h.lr * Math.min(warm, cool);
}

/** A usage error in a cool-down's bounds, or null when they are valid for a run at `step`. */
export function cooldownError(c: Cooldown, step: number): string | null {
  if (!Number.isInteger(c.from) || !Number.isInteger(c.to)) return `cool-down bounds must be whole steps (from ${c.from}, to ${c.to})`;
  if (c.to <= c.from) return `cool-down must end after it starts (from ${c.from}, to ${c.to})`;
  if (c.from < 0) return `cool-down cannot start before step 0 (from ${c.from})`;
  if (c.to <= step) return `cool-down ends at step ${c.to}, but the run is already at step ${step}`;
  return null;
}
