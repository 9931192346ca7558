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
  const v = summary
    .filter((r) => r.method === method)
    .map(f)
    .filter((x) => x != null && Number.isFinite(x));
  if (!v.length) return "not yet measured";
  // A value that rounds to zero prints as 0 (not "-0.000" or "+0.000"): the sign would claim a direction.
  const rounded = (x) => (Number(x.toFixed(digits)) === 0 ? 0 : x);
  const signed = v.some((y) => rounded(y) < 0);
  const fmt = (x) => (format === "exp" ? x.toExponential(digits) : `${signed && rounded(x) > 0 ? "+" : ""}${rounded(x).toFixed(digits)}`);
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  return fmt(lo) === fmt(hi) ? fmt(lo) : `${fmt(lo)} to ${fmt(hi)}`;
}

/** "kind m = 5, λ = 0.001, β = 1, tol 0.001, at most 15 iterations, start x_T" from a solver-settings object. */
export function settingsText(solver = {}, init) {
  const parts = [solver.kind];
  if (solver.m != null) parts.push(`m = ${solver.m}`);
  if (solver.lambda != null) parts.push(`λ = ${solver.lambda}`);
  if (solver.beta != null) parts.push(`β = ${solver.beta}`);
  if (solver.triangular) parts.push("triangular");
  if (solver.tol != null) parts.push(`tol ${solver.tol}`);
  if (solver.maxIter != null) parts.push(`at most ${solver.maxIter} iterations`);
  if (init)
    parts.push(
      `start ${
        init === "xT" ? "x_T"
        : init === "ddim-pinv" ? "DDIM-A⁺y"
        : init
      }`,
    );
  return parts.filter(Boolean).join(", ");
}

/**
 * Where one solver-benchmark variant reached the target: {reached, runs, missed} where `missed`
 * lists "operator (T = …)" for the (operator, T) cells in which no run reached it.
 */
export function solverReach(summary, solver) {
  const rows = summary.filter((r) => r.solver === solver);
  let reached = 0,
    runs = 0;
  const missed = new Map();
  for (const r of rows) {
    const [a, b] = String(r.reached).split("/").map(Number);
    reached += a;
    runs += b;
    if (a === 0) missed.set(r.operator, [...(missed.get(r.operator) ?? []), r.T]);
  }
  return {reached, runs, missed: [...missed].map(([op, Ts]) => `${op} (T = ${Ts.join(", ")})`)};
}

/** Range "a to b" of DeqIR's wall time over the serial chain's (same machine) for one solver variant. */
export function wallRatio(summary, solver) {
  const v = summary
    .filter((r) => r.solver === solver && r.deqWallMs?.mean > 0 && r.serialWallMs?.mean > 0)
    .map((r) => r.deqWallMs.mean / r.serialWallMs.mean);
  if (!v.length) return null;
  return {lo: Math.min(...v), hi: Math.max(...v), n: v.length};
}

/** Phantom-gradient facts: per gradient, the smallest cosine over K < T and whether any is negative. */
export function phantomFacts(points, T) {
  const by = (wrt) => points.filter((p) => p.wrt === wrt && p.k < T && Number.isFinite(p.cosine));
  const f = (wrt) => {
    const v = by(wrt).map((p) => p.cosine);
    return v.length ? {min: Math.min(...v), max: Math.max(...v), negative: v.filter((c) => c < 0).length, n: v.length} : null;
  };
  const atT = points.filter((p) => p.k === T && p.tau === 1).map((p) => ({wrt: p.wrt, cosine: p.cosine}));
  return {y: f("dL/dy"), xT: f("dL/dx_T"), atT};
}

/** "a of b" summed over a method's cells from its "k/n" converged strings; null when none recorded. */
export function convergedCount(summary, method) {
  let a = 0,
    b = 0;
  for (const r of summary.filter((x) => x.method === method && typeof x.converged === "string")) {
    const [k, n] = r.converged.split("/").map(Number);
    a += k;
    b += n;
  }
  return b ? {converged: a, runs: b} : null;
}
