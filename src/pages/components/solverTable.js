import {colourOf} from "./methodColours.js";
import {formatMs, table} from "./table.js";

/**
 * What each solver cost, next to what parallel hardware would gain: T / iterations is the ideal
 * speed-up when a batch of T images costs one network call; the measured one divides the serial
 * chain's wall time by the solver's, on the device that ran them. An unconverged run has no
 * speed-up: it did not reach the serial result, so its error is what the row shows instead.
 */
export function solverTable(comparison, {caption = ""} = {}) {
  const {T, serialWallMs, runs} = comparison;
  const box = table(
    [
      "solver",
      "iterations",
      "converged",
      "ideal speed-up T / iterations",
      "wall time",
      "measured speed-up (serial / solver)",
      "max |x₀ − serial x₀|",
    ],
    [
      ["serial chain", String(T), "—", "1", formatMs(serialWallMs), "1", "0"],
      ...runs.map((r) => [
        r.solver,
        String(r.iterations),
        r.converged ? "yes" : "no",
        r.converged ? (T / r.iterations).toFixed(2) : "— (not converged)",
        formatMs(r.wallMs),
        r.converged ? (serialWallMs / r.wallMs).toFixed(2) : "—",
        r.maxAbsDiffToSerial.toExponential(1),
      ]),
    ],
    {caption, className: "deqir-solver-table", key: "solver"},
  );
  // Each solver's name with its colour from the figures (methodColours.js), so the table reads as their legend.
  for (const r of runs) {
    const cell = box.querySelector(`tr[data-solver="${CSS.escape(r.solver)}"] td`);
    if (!cell) continue;
    const sw = document.createElement("span");
    sw.setAttribute("aria-hidden", "true");
    sw.style.cssText = `display:inline-block;width:10px;height:10px;margin-right:5px;background:${colourOf(r.solver)}`;
    cell.prepend(sw);
  }
  return box;
}
