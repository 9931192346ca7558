import * as Plot from "@observablehq/plot";
import {fitWidth} from "./fitWidth.js";
import {integerTicks} from "./residualPlot.js";

/**
 * Relative residual per timestep row × iteration for one solver: Picard's triangular front (row k is
 * exact after k iterations) shows as a diagonal, an accelerated solver as a faster fade.
 */
export function residualHeatmap(run, {width = 640, height = 260} = {}) {
  const data = run.history.flatMap((h) =>
    h.rowRelResidual.map((r, k) => ({iteration: h.iteration, step: k + 1, residual: Math.max(r, 1e-9)})),
  );
  const T = run.history[0]?.rowRelResidual.length ?? 0;
  const last = Math.max(...data.map((d) => d.iteration));
  // Annotation: Picard's front (row k final after k iterations), the guarantee the others are judged by.
  const front = Array.from({length: Math.min(T, last)}, (_, i) => ({iteration: i + 1, step: i + 1}));
  return Plot.plot({
    width: fitWidth(width),
    height,
    padding: 0,
    marginBottom: 36,
    title: `${run.solver}: relative residual of each row per iteration`,
    x: {label: "iteration →", ticks: integerTicks(data), tickFormat: "d"},
    y: {label: "↓ step k (1 = first step from x_T; T = x₀)"},
    // Plot reads legend options (width) from the scale; its types do not list them.
    color: /** @type {any} */ ({
      type: "log",
      scheme: "viridis",
      label: "relative residual of row k, ‖F(X)ₖ − Xₖ‖ / ‖F(X)ₖ‖ (log scale)",
      legend: true,
      width: Math.min(fitWidth(width), 360),
    }),
    marks: [
      Plot.cell(data, {x: "iteration", y: "step", fill: "residual", tip: true}),
      front.length > 1 ? Plot.line(front, {x: "iteration", y: "step", stroke: "white", strokeDasharray: "3 3", strokeWidth: 1.5}) : null,
      front.length > 1 ?
        Plot.text([front[Math.floor(front.length / 2)]], {
          x: "iteration",
          y: "step",
          text: () => "Picard's front: row k exact after k iterations",
          dx: -8,
          dy: 12,
          textAnchor: "end",
          fill: "black",
          stroke: "white",
          strokeWidth: 3,
          paintOrder: "stroke",
          fontSize: 11,
        })
      : null,
    ],
  });
}
