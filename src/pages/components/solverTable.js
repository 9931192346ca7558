/**
 * What each solver cost, next to what parallel hardware would gain: T / iterations is the ideal
 * speed-up when a batch of T images costs one network call; the measured one divides the serial
 * chain's wall time by the solver's, on the device that ran them.
 */
export function solverTable(comparison, {caption = ""} = {}) {
  const {T, serialWallMs, runs} = comparison;
  const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
  const rows = [
    ["solver", "iterations", "converged", "ideal speed-up T / iterations", "wall time", "measured speed-up (serial / solver)", "max |x₀ − serial x₀|"],
    ["serial chain", String(T), "—", "1", ms(serialWallMs), "1", "0"],
    ...runs.map((r) => [
      r.solver,
      String(r.iterations),
      r.converged ? "yes" : "no",
      (T / r.iterations).toFixed(2),
      ms(r.wallMs),
      (serialWallMs / r.wallMs).toFixed(2),
      r.maxAbsDiffToSerial.toExponential(1)
    ])
  ];
  const table = document.createElement("table");
  table.className = "deqir-solver-table";
  rows.forEach((cells, i) => {
    const tr = document.createElement("tr");
    tr.dataset.solver = cells[0];
    for (const c of cells) {
      const e = document.createElement(i === 0 ? "th" : "td");
      e.textContent = c;
      tr.append(e);
    }
    table.append(tr);
  });
  if (caption) {
    const c = document.createElement("caption");
    c.style.cssText = "caption-side:bottom;text-align:left;font-size:12px;color:var(--theme-foreground-muted)";
    c.textContent = caption;
    table.append(c);
  }
  return table;
}
