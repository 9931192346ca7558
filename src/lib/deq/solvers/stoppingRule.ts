import type { IterationRecord } from './solverTypes.js';

/**
 * The row rule: row r of an iterate meets its tolerance when the RMS of F(X)_r − X_r, for every
 * member of axis 1 (each image of a batch), is below tol · scales[r] (so tol 0 is never met). The scales are the caller's
 * data (for DeqIR, each timestep's noise level); a row of scale 0 never meets it on its own residual
 * and is judged through the rows it depends on.
 */
export interface RowRule {
  tol: number;
  scales: readonly number[];
}

const meets = (rec: IterationRecord, rule: RowRule, r: number) => rec.ruleMeasure[r] < rule.tol * rule.scales[r];

/**
 * On a lower-triangular map: how many leading rows of F(X) are final. Row r of F(X) depends only on
 * rows < r of X, so when rows 0..p-1 of X are final (frozen, or within the rule together with every
 * row before them), rows 0..p of F(X) are: one more than the final prefix of X. Without a rule only
 * frozen rows count, and this is Picard's guarantee (one more exact row per call).
 */
export function finishedRows(rec: IterationRecord, frozen: number, rule: RowRule | null): number {
  const rows = rec.ruleMeasure.length;
  let p = frozen;
  if (rule) while (p < rows && meets(rec, rule, p)) p++;
  return Math.min(rows, p + 1);
}

/** Off the triangular window: every row with a positive scale meets the rule. */
export function meetsRowRule(rec: IterationRecord, rule: RowRule): boolean {
  return rule.scales.every((s, r) => s === 0 || meets(rec, rule, r));
}
