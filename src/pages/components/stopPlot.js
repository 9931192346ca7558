import * as Plot from "@observablehq/plot";
import {fitWidth} from "./fitWidth.js";
import {integerTicks} from "./residualPlot.js";

/** PSNR above which the plot shows "exact" (identical x0 gives Infinity). */
const CEILING_DB = 90;

/**
 * The DeqIR run of the Overview demo, iteration by iteration: the PSNR of each iterate's x0 to the
 * serial chain's x0 (what the reader wants, which a run cannot know), with the 40 dB line, the first
 * iterate past it (where an oracle would have stopped) and the iterate where the rule stopped.
 *
 * @param {{ psnrToSerial: number[], finishedRows: number[], iterations: number }} deq
 * @param {number} T
 * @param {{ width?: number, height?: number }} [options]
 */
export function stopPlot(deq, T, {width = 640, height = 240} = {}) {
  const data = deq.psnrToSerial.map((p, i) => ({
    iteration: i + 1,
    // Below 0 dB (the first iterates can be far from the serial x0) sits on the axis.
    psnr: Math.max(0, Math.min(p, CEILING_DB)),
    finished: deq.finishedRows[i],
  }));
  const oracle = data.find((d) => d.psnr >= 40)?.iteration;
  return Plot.plot({
    width: fitWidth(width),
    height,
    marginRight: 20,
    y: {label: "PSNR(x₀, serial x₀), dB", domain: [0, CEILING_DB], grid: true},
    x: {label: "iteration (network calls in a row)", ticks: integerTicks(data), tickFormat: "d"},
    marks: [
      Plot.ruleY([40], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.text([40], {y: (d) => d, frameAnchor: "left", dx: 4, dy: -7, text: () => "40 dB", fontSize: 10}),
      oracle ? Plot.ruleX([oracle], {stroke: "var(--theme-foreground-muted, gray)", strokeDasharray: "2 2"}) : null,
      oracle ?
        Plot.text([oracle], {x: (d) => d, frameAnchor: "top", dy: 4, dx: -4, textAnchor: "end", text: () => "first ≥ 40 dB", fontSize: 10})
      : null,
      Plot.ruleX([deq.iterations], {stroke: "currentColor"}),
      Plot.text([deq.iterations], {
        x: (d) => d,
        frameAnchor: "bottom",
        dy: -4,
        dx: -4,
        textAnchor: "end",
        text: () => "rule stopped",
        fontSize: 10,
      }),
      Plot.line(data, {x: "iteration", y: "psnr", marker: "dot"}),
      Plot.tip(
        data,
        Plot.pointerX({
          x: "iteration",
          y: "psnr",
          title: (d) =>
            `iteration ${d.iteration}\nPSNR to serial ${
              d.psnr >= CEILING_DB ? "≥ " + CEILING_DB
              : d.psnr <= 0 ? "≤ 0"
              : d.psnr.toFixed(1)
            } dB\n${d.finished} of ${T} timesteps final`,
        }),
      ),
    ],
  });
}

/**
 * One paragraph, computed from the run: where the rule stopped, where an oracle would have, and what
 * that means on a GPU (calls in a row) and on this device (NFE, wall time).
 *
 * @param {any} r a demo result
 */
export function stopStory(r) {
  const d = r.deq;
  const psnr = d.psnrToSerial.at(-1);
  const oracle = d.psnrToSerial.findIndex((p) => p >= 40) + 1;
  const dB = (p) => (p >= CEILING_DB ? "identical to float precision" : `${p.toFixed(1)} dB`);
  const stopped =
    d.stoppedBy === "tol" ? `the ${d.rule} rule (tol ${d.tol}) declared every timestep final`
    : d.stoppedBy === "exact" ? `all ${r.T} timesteps were exact (one more per call, as Picard guarantees)`
    : `it hit the iteration cap`;
  const vsOracle =
    oracle === 0 ? "No iterate came within 40 dB of the serial x₀."
    : oracle === d.iterations ?
      "That is also the first iterate within 40 dB: an oracle that knew the serial x₀ could not have stopped sooner."
    : oracle < d.iterations ?
      `An oracle that knew the serial x₀ would have stopped at iteration ${oracle}, ${d.iterations - oracle} sooner: the rule pays that for not knowing it.`
    : `Its x₀ is below 40 dB: the rule stopped before an oracle would have.`;
  const wall = d.wallMs / r.serial.wallMs;
  return (
    `DeqIR stopped after ${d.iterations} batched calls because ${stopped}; its x₀ is ${dB(psnr)} from the serial x₀. ${vsOracle} ` +
    `On a GPU, where one batch of T small images costs about as much as one image, what counts is calls in a row: ${d.iterations} instead of the chain's ${r.T}. ` +
    `On a CPU what counts is the work: ${d.nfe} network evaluations against the chain's ${r.serial.nfe} (${(d.nfe / r.serial.nfe).toFixed(1)}×; ` +
    `timesteps that are final leave the batch), which is why the wall time here is ${wall.toFixed(1)}× the chain's.`
  );
}
