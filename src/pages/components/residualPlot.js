import * as Plot from "@observablehq/plot";
import {fitWidth} from "./fitWidth.js";
import {variantColour} from "./methodColours.js";

/**
 * Relative residual ||F(X) − X|| / ||F(X)|| per iteration on a log scale, one line per solver.
 * `runs` are {solver, history: [{iteration, relResidual}]}; `tol` draws the stopping threshold.
 *
 * @param {any[]} runs
 * @param {{ tol?: number, width?: number, height?: number }} [options]
 */
export function residualPlot(runs, {tol, width = 640, height = 280} = {}) {
  const data = runs.flatMap((r) =>
    r.history.map((h) => ({solver: r.solver, iteration: h.iteration, residual: Math.max(h.relResidual, 1e-9)})),
  );
  return Plot.plot({
    width: fitWidth(width),
    height,
    y: {type: "log", label: "relative residual", grid: true, tickFormat: "~e"},
    x: {label: "iteration", ticks: integerTicks(data), tickFormat: "d"},
    color: variantColour(runs.map((r) => r.solver)),
    marks: [
      tol ? Plot.ruleY([tol], {stroke: "currentColor", strokeDasharray: "4 3"}) : null,
      tol ? Plot.text([tol], {y: (d) => d, frameAnchor: "left", dx: 4, dy: -7, text: () => `tol ${tol}`, fontSize: 10}) : null,
      Plot.ruleY([1], {stroke: "currentColor", strokeOpacity: 0.3}),
      Plot.text([1], {
        y: (d) => d,
        frameAnchor: "right",
        dx: -4,
        dy: -7,
        text: () => "residual = 1: F(X) moves X by its own size",
        fontSize: 10,
        fillOpacity: 0.7,
      }),
      Plot.line(data, {x: "iteration", y: "residual", stroke: "solver", marker: "dot"}),
      Plot.tip(data, Plot.pointer({x: "iteration", y: "residual", stroke: "solver"})),
    ],
  });
}

/** Whole-number iteration ticks, at most about ten of them. */
export function integerTicks(data) {
  const n = Math.max(1, ...data.map((d) => d.iteration));
  const step = Math.ceil(n / 10);
  return Array.from({length: Math.floor(n / step)}, (_, i) => (i + 1) * step);
}
