import {formatMs, table} from "./table.js";

/**
 * What each solver cost, next to what parallel hardware would gain: T / iterations is the ideal
 * speed-up when a batch of T images costs one network call; the measured one divides the serial
 * chain's wall time by the solver's, on the device that ran them.
 */
export function solverTable(comparison, {caption = ""} = {}) {
  const {T, serialWallMs, runs} = comparison;
  return table(
    ["solver", "iterations", "converged", "ideal speed-up T / iterations", "wall time", "measured speed-up (serial / solver)", "max |x₀ − serial x₀|"],
    [
      ["serial chain", String(T), "—", "1", formatMs(serialWallMs), "1", "0"],
      ...runs.map((r) => [
        r.solver,
        String(r.iterations),
        r.converged ? "yes" : "no",
        (T / r.iterations).toFixed(2),
        formatMs(r.wallMs),
        (serialWallMs / r.wallMs).toFixed(2),
        r.maxAbsDiffToSerial.toExponential(1)
      ])
    ],
    {caption, className: "deqir-solver-table", key: "solver"}
  );
}
