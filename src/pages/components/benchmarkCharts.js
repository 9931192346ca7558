import * as Plot from "@observablehq/plot";
import {formatMs, table} from "./table.js";

/**
 * Figures and tables of the Benchmarks page, all from the committed results
 * (data/benchmarks/quality.json and solvers.json, trimmed by data/benchmarks.json.ts).
 * `summary` rows are {task, sigmaY, method, family, T, oracle, n, psnr: {mean, ci95}, ssim, ...}.
 */

const FAMILY_ORDER = ["A+y", "DDNM", "DDRM", "DeqIR", "DeqIR + init-opt"];
const taskLabel = (r) => `${r.task}, σ_y = ${r.sigmaY}`;
const pm = (s, digits) => (s.mean == null ? "—" : `${s.mean.toFixed(digits)}${s.ci95 == null || !Number.isFinite(s.ci95) ? "" : ` ± ${s.ci95.toFixed(digits)}`}`);

/**
 * A mean ± 95 % CI of `stat(row)` per method, one panel per task and noise level: the shape both
 * quality charts share. Rows whose stat is missing are left out.
 */
function intervalChart(summary, stat, {xLabel, xLabelShort = xLabel, zeroRule = false, tip, width = 900}) {
  const data = summary
    .filter((r) => stat(r) && Number.isFinite(stat(r).mean))
    .map((r) => {
      const v = stat(r);
      return {...r, cell: taskLabel(r), label: `${r.method}${r.oracle ? " ⚑" : ""}`, v: v.mean, lo: v.mean - (v.ci95 || 0), hi: v.mean + (v.ci95 || 0)};
    });
  const methods = [...new Set(data.map((d) => d.label))];
  // On a phone the full method names and the facet names beside the panels leave no room for the
  // data: short names on the axis (full ones in the tip) and the facet names turned upright.
  const narrow = width < 640;
  const short = shortNames(methods);
  return Plot.plot({
    width,
    height: 60 + 16 * methods.length * new Set(data.map((d) => d.cell)).size,
    marginLeft: narrow ? Math.min(190, width * 0.5) : Math.min(330, width * 0.45),
    x: {label: narrow ? xLabelShort : xLabel, grid: true, ticks: narrow ? 4 : undefined},
    y: {label: null, domain: methods, tickFormat: narrow ? (m) => short.get(m) : undefined},
    fy: {label: null, tickRotate: narrow ? 90 : 0},
    color: {legend: true, domain: FAMILY_ORDER},
    facet: {data, y: "cell", marginRight: narrow ? 22 : 120},
    marks: [
      zeroRule ? Plot.ruleX([0], {stroke: "currentColor", strokeOpacity: 0.5}) : null,
      Plot.ruleY(data, {y: "label", x1: "lo", x2: "hi", stroke: "family"}),
      Plot.dot(data, {y: "label", x: "v", fill: "family", r: 3}),
      Plot.tip(data, Plot.pointerY({y: "label", x: "v", title: (d) => `${d.method}\n${d.cell}\n${tip(d)}`}))
    ]
  });
}

/**
 * Shorter method names for a narrow axis: the parenthesised details and "serial" dropped ("plain"
 * kept), as long as every name stays distinct; otherwise the full names.
 */
export function shortNames(methods) {
  const shorten = (m) =>
    m
      .replace(/\(plain, no noise handling\)/, "plain")
      .replace(/\s*\([^)]*\)/g, "")
      .replace(/\bserial\s+/, "")
      .replace(/\s+/g, " ")
      .trim();
  const out = new Map(methods.map((m) => [m, shorten(m)]));
  return new Set(out.values()).size === methods.length ? out : new Map(methods.map((m) => [m, m]));
}

/** PSNR (mean ± 95 % CI over images) per method, one panel per task and noise level. */
export function psnrChart(summary, {width = 900} = {}) {
  return intervalChart(summary, (r) => r.psnr, {xLabel: "PSNR (dB), mean ± 95 % CI", xLabelShort: "PSNR (dB) ± 95 % CI", width, tip: (d) => `PSNR ${pm(d.psnr, 2)} dB, SSIM ${pm(d.ssim, 3)} (n = ${d.n})`});
}

/**
 * Each method's PSNR minus the reference chain's on the same images (mean and 95 % interval of the
 * paired differences), one panel per task and noise level: the figure that tells methods apart.
 */
export function pairedChart(summary, {width = 900} = {}) {
  return intervalChart(summary, (r) => r.psnrVsReference, {
    xLabel: "PSNR − reference chain on the same images (dB), mean ± 95 % CI",
    xLabelShort: "Δ PSNR vs reference (dB) ± 95 % CI",
    zeroRule: true,
    width,
    tip: (d) => `Δ PSNR ${pm(d.psnrVsReference, 2)} dB (n = ${d.psnrVsReference.n} paired images)`
  });
}

/** One table row per method for the given cells: quality, consistency and cost. */
export function qualityTable(summary, {caption = ""} = {}) {
  const header = ["task", "σ_y", "method", "n", "PSNR dB", "Δ PSNR vs reference", "SSIM", "label kept", "‖A x₀ − y‖", "max |x₀ − serial x₀|", "iterations", "NFE", "depth", "wall / image", "peak tensors"];
  const rows = summary.map((r) => [
    r.task, String(r.sigmaY), `${r.method}${r.oracle ? " (oracle)" : ""}`, String(r.n), pm(r.psnr, 2), r.psnrVsReference ? pm(r.psnrVsReference, 2) : "reference", pm(r.ssim, 3),
    r.correct?.mean == null ? "—" : `${(100 * r.correct.mean).toFixed(0)} %`,
    r.consistency.mean.toExponential(1), r.x0ErrorToSerial.mean == null ? "—" : r.x0ErrorToSerial.mean.toExponential(1),
    r.iterations.mean.toFixed(1), r.nfe.mean.toFixed(0), r.sequentialDepth.mean.toFixed(1), formatMs(r.wallMs.mean), String(r.peakTensors)
  ]);
  return table(header, rows, {caption, className: "deqir-table deqir-benchmark-table"});
}

/** max |x0 − serial x0| after each iteration, one thin line per image, one panel per operator and T. */
export function x0ErrorChart(runs, {target, width = 900} = {}) {
  const data = runs.flatMap((r) => r.x0Error.map((e, i) => ({...r, run: `${r.T}|${r.operator}|${r.image}|${r.solver}`, iteration: i + 1, error: Math.max(e ?? NaN, 1e-7)})));
  return Plot.plot({
    width,
    height: 520,
    y: {type: "log", label: "max |x₀ − serial x₀|", grid: true},
    x: {label: "iteration", ticks: width < 640 ? 2 : undefined},
    // On a phone the operator names would overlap: their first word, turned.
    fx: {label: null, tickFormat: width < 640 ? (d) => String(d).split(/[\s(]/)[0] : undefined, tickRotate: width < 640 ? -20 : 0},
    marginTop: width < 640 ? 44 : undefined,
    fy: {label: "T"},
    color: {legend: true},
    facet: {data, x: "operator", y: "T"},
    marks: [
      Plot.ruleY([target], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.line(data, {x: "iteration", y: "error", z: "run", stroke: "solver", strokeWidth: 1, strokeOpacity: 0.7})
    ]
  });
}

/**
 * Ideal speed-up T / iterations against T: the solver benchmark (fitted Gaussian prior, iterations
 * to the serial x0 within the target) and this run's DeqIR (trained UNet, stopped at relative residual 1e-3).
 */
export function speedupChart(solverSummary, qualitySummary, {width = 900} = {}) {
  const gaussian = solverSummary.filter((s) => s.iterations.n > 0).map((s) => ({T: s.T, speedup: s.speedup.mean, solver: s.solver, where: `Gaussian prior: ${s.operator}`}));
  const unet = qualitySummary.filter((r) => r.family === "DeqIR").map((r) => ({T: r.T, speedup: r.T / r.iterations.mean, solver: r.method.replace(/^DeqIR /, "").replace(/ T=\d+$/, ""), where: `UNet: ${taskLabel(r)}`}));
  const data = [...gaussian, ...unet];
  return Plot.plot({
    width,
    height: 320,
    x: {type: "log", label: "T (steps)", ticks: [20, 50, 100], tickFormat: "d"},
    y: {label: "T / iterations (ideal speed-up in sequential depth)", grid: true, zero: true},
    color: {legend: true},
    marks: [
      Plot.ruleY([1], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.dot(data, {x: "T", y: "speedup", stroke: "solver", r: 3}),
      Plot.tip(data, Plot.pointer({x: "T", y: "speedup", title: (d) => `${d.solver}\n${d.where}\nT / iterations = ${d.speedup.toFixed(2)}`}))
    ]
  });
}

/** Mean PSNR against mean NFE per image (log), one panel per task at sigma_y = 0. */
export function qualityVsNfeChart(summary, {width = 900} = {}) {
  const data = summary.filter((r) => r.nfe.mean > 0).map((r) => ({...r, cell: taskLabel(r), psnrMean: r.psnr.mean, nfeMean: r.nfe.mean}));
  return Plot.plot({
    width,
    height: 460,
    x: {type: "log", label: "NFE per image (network evaluations)"},
    y: {label: "PSNR (dB)", grid: true},
    color: {legend: true, domain: FAMILY_ORDER.slice(1)},
    facet: {data, x: "sigmaY", y: "task", marginRight: width < 640 ? 22 : 80},
    fx: {label: "σ_y"},
    fy: {label: null, tickRotate: width < 640 ? 90 : 0},
    marks: [
      Plot.dot(data, {x: "nfeMean", y: "psnrMean", stroke: "family", symbol: (d) => (d.oracle ? "star" : "circle"), r: 3}),
      Plot.tip(data, Plot.pointer({x: "nfeMean", y: "psnrMean", title: (d) => `${d.method}\n${d.cell}\nNFE ${d.nfeMean.toFixed(0)}, PSNR ${pm(d.psnr, 2)} dB`}))
    ]
  });
}

/** Cosine of the phantom gradient to the exact one against the number of damped steps k, per tau. */
export function phantomChart(points, {T, width = 900} = {}) {
  return Plot.plot({
    width,
    height: 300,
    x: {label: "K (damped steps back-propagated from the fixed point)", ticks: [...new Set(points.map((d) => d.k))]},
    y: {label: "cosine to the exact gradient", domain: [-1, 1], grid: true},
    fx: {label: null},
    color: {legend: true, type: "ordinal", label: "τ"},
    facet: {data: points, x: "wrt"},
    marks: [
      Plot.ruleY([0], {stroke: "currentColor", strokeOpacity: 0.4}),
      T ? Plot.ruleX([T], {stroke: "currentColor", strokeDasharray: "4 3"}) : null,
      Plot.line(points, {x: "k", y: "cosine", stroke: "tau", z: "tau"}),
      Plot.dot(points, {x: "k", y: "cosine", fill: "tau", r: 3}),
      Plot.tip(points, Plot.pointer({x: "k", y: "cosine", title: (d) => `${d.wrt}, K = ${d.k}, τ = ${d.tau}\ncosine ${d.cosine.toFixed(4)}, relative L2 error ${d.relL2.toPrecision(3)}\n${formatMs(d.wallMs)}, ${d.nfe} NFE-equivalents`}))
    ]
  });
}

/** "commit abc1234 (dirty), 2026-…, wasm, Intel … × 2 cores" */
export function provenanceLine(p) {
  const commit = `${String(p.gitCommit).slice(0, 7)}${p.gitDirty ? " + uncommitted changes" : ""}`;
  const earlier = (p.resumedFrom ?? []).map((r) => `${String(r.gitCommit).slice(0, 7)}${r.gitDirty ? " + uncommitted changes" : ""}`);
  return `commit ${commit}${earlier.length ? ` (resuming cells from ${earlier.join(", ")})` : ""}, ${String(p.date).slice(0, 16).replace("T", " ")} UTC, backend ${p.backend}, ${p.machine.cpu} (${p.machine.cores} cores), Node ${p.node ?? ""}`.replace(/, Node $/, "");
}
