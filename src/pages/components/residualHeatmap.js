import * as Plot from "@observablehq/plot";
import {fitWidth} from "./fitWidth.js";
import {integerTicks} from "./residualPlot.js";

/**
 * Relative residual per timestep row × iteration for one solver: Picard's triangular front (row k is
 * exact after k iterations) shows as a diagonal, an accelerated solver as a faster fade.
 */
export function residualHeatmap(run, {width = 640, height = 260} = {}) {
  const data = run.history.flatMap((h) => h.rowRelResidual.map((r, k) => ({iteration: h.iteration, step: k + 1, residual: Math.max(r, 1e-9)})));
  return Plot.plot({
    width: fitWidth(width),
    height,
    padding: 0,
    x: {label: "iteration", ticks: integerTicks(data), tickFormat: "d"},
    y: {label: "step k (1 = first step from x_T)", reverse: true},
    color: {type: "log", scheme: "viridis", label: "relative residual of row k", legend: true},
    marks: [Plot.cell(data, {x: "iteration", y: "step", fill: "residual", tip: true})]
  });
}
