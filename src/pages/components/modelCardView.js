import * as Plot from "@observablehq/plot";
import {chartWidth, fitWidth} from "./fitWidth.js";
import {table} from "./table.js";
// The training status is computed in the library (the Overview's loader uses it too).
export {trainingStatus} from "../_deqir/deqir-client.js";

/**
 * The shipped prior's model card (models/<name>.card.json, written by `npm run model-card` and
 * `npm run quality`) as tables and a loss curve. Every number is read from the card.
 */

const num = (v, digits = 0) => (v == null ? "—" : Number(v).toLocaleString("en-US", {maximumFractionDigits: digits}));

/** Architecture, size and training run. */
export function cardSummaryTable(card) {
  const c = card.config;
  const t = card.training;
  const rows = [
    ["architecture", `UNet, channels ${c.channels.join("/")}, ${c.resBlocksPerLevel} residual block(s) per level, self-attention at level(s) ${c.attentionLevels.join(", ")}, GroupNorm(${c.groups}), time embedding ${c.timeEmbedDim}, dropout ${c.dropout}`],
    ["input", card.pixelRange],
    ["parameters", num(card.params)],
    ["FLOPs per image", `${num(card.flopsPerImage / 1e6, 1)} M (${card.flopsNote})`],
    ["schedule", `${card.schedule.kind}, N = ${card.schedule.N}, β ${card.schedule.betaStart} … ${card.schedule.betaEnd}`],
    ["data", card.dataset ? `${card.dataset.name}, ${card.dataset.split} split, ${num(card.dataset.images)} images` : "—"],
    ["training", `${num(t.steps)} steps, batch ${t.batchSize}, Adam lr ${t.learningRate} (warm-up ${t.warmupSteps}), grad clip ${t.gradClip}, seed ${t.seed}, ${t.objective}`],
    ["EMA", `decay ${t.ema?.decay}; the shipped weights are the ${t.ema?.weightsShipped ?? "EMA"} weights`],
    ["final loss", num(t.finalLoss, 4)],
    ["wall time", `${num(t.trainSeconds / 3600, 1)} h on ${t.machine?.cpu} (${t.machine?.backend}, ${t.machine?.threads} thread${(t.machine?.workers ?? 1) > 1 ? ` × ${t.machine.workers} data-parallel workers` : ""}, Node ${t.machine?.node})`],
    ["weights", `${card.weights}, sha256 ${String(card.weightsSha256 ?? "").slice(0, 16)}…`]
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
    marks: [Plot.line(card.training.lossCurve, {x: "step", y: "loss"}), Plot.tip(card.training.lossCurve, Plot.pointerX({x: "step", y: "loss"}))]
  });
}

/**
 * The bars the quality check applies: FD-cls at most `fdFactor` × the naive Gaussian's (read from
 * the card's own statement of its bar) and every class at least `coveragePercent` % of the samples.
 */
export function qualityBars(card) {
  const m = /<=\s*([\d.]+)\s*FD\(naive\)/.exec(card.quality?.fdCls?.bar ?? "");
  return {fdFactor: m ? Number(m[1]) : 0.2, coveragePercent: 3};
}

/** Batch sizes of the card's eps latency beyond 1 (the network part of one DeqIR iteration at T = batch). */
export const latencyBatches = (card) => (card.timing?.epsLatency ?? []).map((r) => r.batch).filter((b) => b > 1);

/** The quality bar of issue 3: FD-cls against a naive Gaussian, class coverage, restoration sanity. */
export function qualityBarTable(card) {
  const q = card.quality ?? {};
  if (!q.fdCls) return table(["quality"], [[q.status ?? "not measured"]]);
  const mark = (ok) => (ok ? "passes" : "fails");
  const r = q.restorationSanity;
  const bars = qualityBars(card);
  const rows = [
    ["FD-cls (model samples ↔ test)", num(q.fdCls.model, 2), `≤ ${bars.fdFactor} × naive = ${num(bars.fdFactor * q.fdCls.naiveGaussian, 2)}`, `${mark(q.fdCls.passes)} (ratio ${num(q.fdCls.ratioModelToNaive, 3)})`],
    ["FD-cls floor (held-out train ↔ test)", num(q.fdCls.trainFloor, 2), "reference", ""],
    ["FD-cls naive diagonal Gaussian", num(q.fdCls.naiveGaussian, 2), "reference", ""],
    ["smallest class share of samples", `${num(100 * q.classCoverage.minShare, 1)} %`, `≥ ${bars.coveragePercent} %`, mark(q.classCoverage.passes)],
    ...(typeof r === "object" && r
      ? [
          [`SR x4 PSNR, ${r.images} images, T = ${r.T}: serial chain (= DeqIR's fixed point)`, `${num(r.psnrSerial, 2)} dB`, `> A+y ${num(r.psnrApy, 2)} dB`, mark(r.passes)],
          [`… DeqIR solved by Anderson, first ${r.deq.images} images`, `${num(r.deq.psnr, 2)} dB`, `A+y ${num(r.deq.psnrApySameImages, 2)} dB on these`, `${num(r.deq.meanIterations, 1)} iterations, ${r.deq.converged}/${r.deq.images} converged`]
        ]
      : [["restoration sanity", "not measured", "", ""]])
  ];
  return table(["measure", "value", "bar", ""], rows, {
    caption: `${q.samples} DDIM samples (${q.sampler}); classifier ${q.classifier.architecture}, test accuracy ${num(100 * q.classifier.testAccuracy, 1)} %. Command: ${q.command}`
  });
}

/** Shares of the classifier's predicted classes over the model's samples. */
export function classShareChart(card, {width = 640} = {}) {
  width = chartWidth(width);
  const shares = Object.entries(card.quality?.classCoverage?.shares ?? {}).map(([label, share]) => ({label, percent: 100 * share}));
  return Plot.plot({
    width: fitWidth(width),
    height: 220,
    marginLeft: 90,
    x: {label: "share of samples (%)", grid: true},
    y: {label: null, domain: shares.map((d) => d.label)},
    marks: [Plot.barX(shares, {x: "percent", y: "label", tip: true}), Plot.ruleX([qualityBars(card).coveragePercent], {stroke: "red"}), Plot.ruleX([100 / Math.max(1, shares.length)], {strokeDasharray: "2,3"})]
  });
}

/** eps latency per batch size on this machine's wasm backend, and training throughput. */
export function latencyTable(card) {
  const t = card.timing;
  if (!t) return table(["timing"], [["not measured"]]);
  const rows = t.epsLatency.map((r) => [`eps, batch ${r.batch}`, `${r.medianMs} ms`, `${r.imagesPerSec} images/s`]);
  rows.push(["training (mean over the run)", "—", `${t.trainingImagesPerSec.meanOverRun} images/s`]);
  return table(["", "median wall time", "throughput"], rows, {
    caption: `${t.backend} on ${t.machine.cpu} (${t.machine.cores} cores, load ${t.machine.loadAverage1m.toFixed(2)}). ${t.note} ${t.trainingImagesPerSec.note}. Command: ${t.command}`
  });
}

/**
 * One sentence on where a prior's training stands, from trainingStatus (src/lib/site/trainingStatus.ts):
 * the steps against the run's target and the quality bar's verdict, as the card records them.
 */
export function trainingCaveat(t) {
  const steps = t.steps.toLocaleString("en-US");
  const where = t.finished
    ? `These weights are their training run's last, after ${steps} steps`
    : `These weights are still in training: ${steps} of ${t.targetSteps.toLocaleString("en-US")} steps`;
  const bar = t.bar === "passes" ? "they pass their quality bar"
    : t.bar === "fails" ? "they do not pass their quality bar"
    : "their quality bar has not been measured on them, so nothing here claims it";
  return `${where}; ${bar}`;
}
