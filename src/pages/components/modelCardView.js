import * as Plot from "@observablehq/plot";
import {chartWidth, fitWidth} from "./fitWidth.js";
import {table} from "./table.js";
import {formatNumber, latencyRows, qualityBarRows, qualityBars} from "../_deqir/deqir-client.js";
// The training status and the quality bar's rows are worded in the library (the Overview's loader
// and the generated blocks of docs/results.md use them too).
export {qualityBars, trainingStatus, trainingStatusText} from "../_deqir/deqir-client.js";

/**
 * The shipped prior's model card (models/<name>.card.json, written by `npm run model-card` and
 * `npm run quality`) as tables and a loss curve. Every number is read from the card.
 */

const num = formatNumber;

/** Architecture, size and training run. */
export function cardSummaryTable(card) {
  const c = card.config;
  const t = card.training;
  const rows = [
    [
      "architecture",
      `UNet, channels ${c.channels.join("/")}, ${c.resBlocksPerLevel} residual block(s) per level, self-attention at level(s) ${c.attentionLevels.join(", ")}, GroupNorm(${c.groups}), time embedding ${c.timeEmbedDim}, dropout ${c.dropout}`,
    ],
    ["input", card.pixelRange],
    ["parameters", num(card.params)],
    ["FLOPs per image", `${num(card.flopsPerImage / 1e6, 1)} M (${card.flopsNote})`],
    ["schedule", `${card.schedule.kind}, N = ${card.schedule.N}, β ${card.schedule.betaStart} … ${card.schedule.betaEnd}`],
    ["data", card.dataset ? `${card.dataset.name}, ${card.dataset.split} split, ${num(card.dataset.images)} images` : "—"],
    [
      "training",
      `${num(t.steps)} steps, batch ${t.batchSize}, Adam lr ${t.learningRate} (warm-up ${t.warmupSteps}${t.cooldown ? `, then linear decay to 0 from step ${num(t.cooldown.from)} to ${num(t.cooldown.to)}` : ""}), grad clip ${t.gradClip}, seed ${t.seed}, ${t.objective}`,
    ],
    ["EMA", `decay ${t.ema?.decay}; the shipped weights are the ${t.ema?.weightsShipped ?? "EMA"} weights`],
    ["final loss", num(t.finalLoss, 4)],
    [
      "wall time",
      `${num(t.trainSeconds / 3600, 1)} h on ${t.machine?.cpu} (${t.machine?.backend}, ${t.machine?.threads} thread${(t.machine?.workers ?? 1) > 1 ? ` × ${t.machine.workers} data-parallel workers` : ""}, Node ${t.machine?.node})`,
    ],
    ["weights", `${card.weights}, sha256 ${String(card.weightsSha256 ?? "").slice(0, 16)}…`],
  ];
  return table(["", ""], rows, {caption: `Command: ${t.command}`, className: "deqir-card", key: "field"});
}

/** Training loss (eps-prediction MSE, mean over each logging window) against step. */
export function lossCurveChart(card, {width = 640} = {}) {
  width = chartWidth(width);
  return Plot.plot({
    width: fitWidth(width),
    height: 240,
    y: {type: "log", label: "training loss (log scale)", grid: true, ticks: [0.03, 0.05, 0.1, 0.2, 0.5, 1], tickFormat: "~g"},
    x: {label: "step"},
    marks: [
      Plot.line(card.training.lossCurve, {x: "step", y: "loss"}),
      Plot.tip(card.training.lossCurve, Plot.pointerX({x: "step", y: "loss"})),
    ],
  });
}

/** Batch sizes of the card's eps latency beyond 1 (the network part of one DeqIR iteration at T = batch). */
export const latencyBatches = (card) => (card.timing?.epsLatency ?? []).map((r) => r.batch).filter((b) => b > 1);

/** The quality bar (FD-cls against a naive Gaussian, class coverage, restoration sanity), or what to run. */
export function qualityBarTable(card) {
  const q = qualityBarRows(card.quality);
  if (!q) return table(["quality"], [[card.quality?.status ?? "not measured"]]);
  return table(["measure", "value", "bar", ""], q.rows, {caption: q.caption});
}

/** Shares of the classifier's predicted classes over the model's samples. */
export function classShareChart(card, {width = 640} = {}) {
  width = chartWidth(width);
  const shares = Object.entries(card.quality?.classCoverage?.shares ?? {}).map(([label, share]) => ({label, percent: 100 * share}));
  return Plot.plot({
    width: fitWidth(width),
    height: 220,
    // Room for the longest class name at Plot's 10 px font (about 6 px a character): "Smileys & Emotion" was cut at 90.
    marginLeft: Math.max(60, 6 * Math.max(0, ...shares.map((d) => d.label.length)) + 12),
    x: {label: "share of samples (%)", grid: true},
    y: {label: null, domain: shares.map((d) => d.label)},
    marks: [
      Plot.barX(shares, {x: "percent", y: "label", tip: true}),
      Plot.ruleX([qualityBars(card.quality).coveragePercent], {stroke: "red"}),
      Plot.ruleX([100 / Math.max(1, shares.length)], {strokeDasharray: "2,3"}),
    ],
  });
}

/** eps latency per batch size on this machine's wasm backend, and training throughput. */
export function latencyTable(card) {
  if (!card.timing) return table(["timing"], [["not measured"]]);
  const t = latencyRows(card.timing);
  return table(["", "median wall time", "throughput"], t.rows, {caption: t.caption});
}
