/**
 * Numbers the Benchmarks page states in its sentences, computed from the committed summary rows
 * (so a new run updates them): one cell's row, and the range of a quantity over a method's cells.
 */

/** The summary row of one (task, sigma_y, method), with its PSNR as text and its paired difference. */
export function cellRow(summary, task, sigmaY, method) {
  const r = summary.find((x) => x.task === task && x.sigmaY === sigmaY && x.method === method);
  if (!r) return null;
  const ci = Number.isFinite(r.psnr.ci95) ? ` ± ${r.psnr.ci95.toFixed(2)}` : "";
  return {...r, psnrText: `${r.psnr.mean.toFixed(2)}${ci} (n = ${r.n})`, vsRef: r.psnrVsReference?.mean ?? 0};
}

/** "a to b" (or one value) of f over the method's rows; "not yet measured" when there are none. */
export function rangeOf(summary, method, f, digits, format = "fixed") {
  const v = summary.filter((r) => r.method === method).map(f).filter((x) => x != null && Number.isFinite(x));
  if (!v.length) return "not yet measured";
  const fmt = (x) => (format === "exp" ? x.toExponential(digits) : `${x >= 0 && v.some((y) => y < 0) ? "+" : ""}${x.toFixed(digits)}`);
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  return lo === hi ? fmt(lo) : `${fmt(lo)} to ${fmt(hi)}`;
}
