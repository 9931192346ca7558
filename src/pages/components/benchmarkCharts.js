import {chartWidth} from "./fitWidth.js";
import * as Plot from "@observablehq/plot";
import {formatMs, table} from "./table.js";
import {methodColour, methodKey, variantColour} from "./methodColours.js";

/**
 * Figures and tables of the Benchmarks page, all from the committed results
 * (data/benchmarks/quality.json and solvers.json, trimmed by data/benchmarks.json.ts).
 * `summary` rows are {task, sigmaY, method, family, T, oracle, n, psnr: {mean, ci95}, ssim, ...}.
 */

/** A summary row's colour group (methodColours.js): DeqIR by its solver, init-opt by its family. */
const keyOf = (r) => (/init-opt/.test(r.family ?? "") ? "init-opt" : methodKey(r.method));
const colourScale = (rows) => ({
  ...methodColour(rows.map((r) => (/init-opt/.test(r.family ?? "") ? "init-opt" : r.method))),
  label: "method (colour the same on every page)",
});
const taskLabel = (r) => `${r.task}, σ_y = ${r.sigmaY}`;
const pm = (s, digits) =>
  s.mean == null ? "—" : `${s.mean.toFixed(digits)}${s.ci95 == null || !Number.isFinite(s.ci95) ? "" : ` ± ${s.ci95.toFixed(digits)}`}`;

/**
 * A mean ± 95 % CI of `stat(row)` per method, one panel per task and noise level: the shape both
 * quality charts share. Rows whose stat is missing are left out.
 */
function intervalChart(summary, stat, {xLabel, xLabelShort = xLabel, zeroRule = false, annotate = false, tip, width = 900}) {
  const data = summary
    .filter((r) => stat(r) && Number.isFinite(stat(r).mean))
    .map((r) => {
      const v = stat(r);
      return {
        ...r,
        key: keyOf(r),
        cell: taskLabel(r),
        label: `${r.method}${r.oracle ? " ⚑" : ""}`,
        v: v.mean,
        lo: v.mean - (v.ci95 || 0),
        hi: v.mean + (v.ci95 || 0),
      };
    });
  const methods = [...new Set(data.map((d) => d.label))];
  const cells = [...new Set(data.map((d) => d.cell))];
  // On a phone the full method names and the facet names beside the panels leave no room for the
  // data: short names on the axis (full ones in the tip) and the facet names turned upright.
  const narrow = width < 640;
  const short = shortNames(methods);
  // What to look at, written on the figure: which side of 0 is better, in the first panel only.
  const notes = annotate && zeroRule && cells.length ? [{cell: cells[0]}] : [];
  return Plot.plot({
    width,
    height: 60 + (notes.length ? 24 : 0) + 16 * methods.length * cells.length,
    marginTop: notes.length ? 44 : undefined,
    marginLeft: narrow ? Math.min(190, width * 0.5) : Math.min(330, width * 0.45),
    x: {label: narrow ? xLabelShort : xLabel, grid: true, ticks: narrow ? 4 : undefined},
    y: {label: null, domain: methods, tickFormat: narrow ? (m) => short.get(m) : undefined},
    // Upright on a phone, a cell name on one line can outgrow a panel of few methods: two lines.
    fy: {label: null, tickRotate: narrow ? 90 : 0, domain: cells, tickFormat: narrow ? (c) => c.replace(", ", "\n") : undefined},
    color: colourScale(data),
    facet: {marginRight: narrow ? 34 : 145},
    marks: [
      zeroRule ? Plot.ruleX([0], {stroke: "currentColor", strokeOpacity: 0.5}) : null,
      Plot.ruleY(data, {fy: "cell", y: "label", x1: "lo", x2: "hi", stroke: "key"}),
      Plot.dot(data, {fy: "cell", y: "label", x: "v", fill: "key", r: 3}),
      Plot.text(notes, {
        fy: "cell",
        x: 0,
        frameAnchor: "top",
        dy: -22,
        text: () => (narrow ? "← worse | better →" : "← worse than the reference on the same images | better →"),
        fontSize: 11,
        fontWeight: "bold",
      }),
      Plot.text(notes, {
        fy: "cell",
        x: 0,
        frameAnchor: "top",
        dy: -9,
        textAnchor: narrow ? "end" : "middle",
        dx: narrow ? 30 : 0,
        text: () => (narrow ? "crossing 0: no difference" : "an interval that crosses 0: no measurable difference"),
        fontSize: 10,
        fillOpacity: 0.7,
      }),
      Plot.tip(data, Plot.pointerY({fy: "cell", y: "label", x: "v", title: (d) => `${d.method}\n${d.cell}\n${tip(d)}`})),
    ],
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
  width = chartWidth(width);
  return intervalChart(summary, (r) => r.psnr, {
    xLabel: "PSNR (dB), mean ± 95 % CI",
    xLabelShort: "PSNR (dB) ± 95 % CI",
    width,
    tip: (d) => `PSNR ${pm(d.psnr, 2)} dB, SSIM ${pm(d.ssim, 3)} (n = ${d.n})`,
  });
}

/**
 * Each method's PSNR minus the reference chain's on the same images (mean and 95 % interval of the
 * paired differences), one panel per task and noise level: the figure that tells methods apart.
 */
export function pairedChart(summary, {width = 900} = {}) {
  width = chartWidth(width);
  return intervalChart(summary, (r) => r.psnrVsReference, {
    xLabel: "PSNR − reference chain on the same images (dB), mean ± 95 % CI",
    xLabelShort: "Δ PSNR vs reference (dB) ± 95 % CI",
    zeroRule: true,
    annotate: true,
    width,
    tip: (d) => `Δ PSNR ${pm(d.psnrVsReference, 2)} dB (n = ${d.psnrVsReference.n} paired images)`,
  });
}

/** One table row per method for the given cells: quality, consistency and cost. */
export function qualityTable(summary, {caption = ""} = {}) {
  const header = [
    "task",
    "σ_y",
    "method",
    "n",
    "PSNR dB",
    "Δ PSNR vs reference",
    "Δ PSNR vs own serial chain",
    "SSIM",
    "label kept",
    "‖A x₀ − y‖",
    "max |x₀ − serial x₀|",
    "iterations",
    "NFE",
    "depth",
    "wall / image",
    "peak tensors",
  ];
  const rows = summary.map((r) => [
    r.task,
    String(r.sigmaY),
    `${r.method}${r.oracle ? " (oracle)" : ""}`,
    String(r.n),
    pm(r.psnr, 2),
    r.psnrVsReference ? pm(r.psnrVsReference, 2) : "reference",
    r.psnrVsChain ? pm(r.psnrVsChain, 2) : "—",
    pm(r.ssim, 3),
    r.correct?.mean == null ? "—" : `${(100 * r.correct.mean).toFixed(0)} %`,
    r.consistency.mean.toExponential(1),
    r.x0ErrorToSerial.mean == null ? "—" : r.x0ErrorToSerial.mean.toExponential(1),
    r.iterations.mean.toFixed(1),
    r.nfe.mean.toFixed(0),
    r.sequentialDepth.mean.toFixed(1),
    formatMs(r.wallMs.mean),
    String(r.peakTensors),
  ]);
  return table(header, rows, {caption, className: "deqir-table deqir-benchmark-table"});
}

/**
 * max |x0 − serial x0| after each iteration, one thin line per image, one panel per operator and T
 * (operators in rows on a phone). Colours: methodColours.js, a lighter shade for a second variant.
 *
 * @param {any} runs
 * @param {{ target?: number, width?: number }} [options]
 */
export function x0ErrorChart(runs, {target, width = 900} = {}) {
  width = chartWidth(width);
  const data = runs.flatMap((r) =>
    r.x0Error.map((e, i) => ({
      ...r,
      run: `${r.T}|${r.operator}|${r.image}|${r.solver}`,
      iteration: i + 1,
      error: Math.max(e ?? NaN, 1e-7),
    })),
  );
  const narrow = width < 640;
  const operators = [...new Set(runs.map((r) => r.operator))];
  // "super-resolution ×4 (average pooling)" → "super-resolution ×4": the details are in the text.
  const shortOp = (d) => String(d).split("(")[0].trim();
  const first = data.length ? [{operator: operators[0], T: Math.min(...runs.map((r) => r.T))}] : [];
  return Plot.plot({
    width,
    height: narrow ? 150 * operators.length + 120 : 560,
    y: {type: "log", label: "max |x₀ − serial x₀|", grid: true},
    x: {label: "iteration", ticks: narrow ? 3 : 5},
    fx: {label: narrow ? "T" : null, tickFormat: narrow ? undefined : shortOp},
    fy: {label: narrow ? null : "T", tickFormat: narrow ? shortOp : undefined, tickRotate: narrow ? 90 : 0},
    color: variantColour(runs.map((r) => r.solver)),
    facet: {data, x: narrow ? "T" : "operator", y: narrow ? "operator" : "T", marginRight: narrow ? 24 : 60},
    marks: [
      Plot.ruleY([target], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.text(first, {
        fx: narrow ? "T" : "operator",
        fy: narrow ? "operator" : "T",
        x: 1,
        y: target,
        text: () => `target ${target}`,
        textAnchor: "start",
        dy: 8,
        fontSize: 10,
      }),
      Plot.line(data, {x: "iteration", y: "error", z: "run", stroke: "solver", strokeWidth: 1, strokeOpacity: 0.75}),
    ],
  });
}

/**
 * Ideal speed-up T / iterations per solver, one panel per T: the solver benchmark (fitted Gaussian
 * prior, iterations to the serial x0 within the target; one circle per operator) and this run's
 * DeqIR (trained UNet, stopped at its relative residual tolerance; one square per task cell).
 * Colour: the solver (methodColours.js).
 */
export function speedupChart(solverSummary, qualitySummary, {width = 900} = {}) {
  width = chartWidth(width);
  const gaussian = solverSummary
    .filter((s) => s.iterations.n > 0)
    .map((s) => ({T: s.T, speedup: s.speedup.mean, solver: s.solver, prior: "fitted Gaussian prior", where: s.operator}));
  const unet = qualitySummary
    .filter((r) => r.family === "DeqIR")
    .map((r) => ({
      T: r.T,
      speedup: r.T / r.iterations.mean,
      solver: `UNet: ${r.method.replace(/^DeqIR /, "").replace(/ T=\d+$/, "")}`,
      prior: "trained UNet",
      where: taskLabel(r),
    }));
  const data = [...gaussian, ...unet].map((d) => ({...d, panel: `T = ${d.T}`}));
  const colour = variantColour(data.map((d) => d.solver));
  const solvers = colour.domain;
  const panels = [...new Set(data.sort((a, b) => a.T - b.T).map((d) => d.panel))];
  const narrow = width < 640;
  const notes = panels.length ? [{panel: panels[0]}] : [];
  return Plot.plot({
    width,
    height: 50 + 18 * solvers.length * panels.length + (notes.length ? 20 : 0),
    marginTop: notes.length ? 40 : undefined,
    marginLeft: narrow ? Math.min(170, width * 0.45) : 300,
    x: {
      label: "T / iterations (ideal speed-up in sequential depth)",
      grid: true,
      domain: [0, Math.max(2, ...data.map((d) => d.speedup)) * 1.05],
      ticks: narrow ? 4 : undefined,
    },
    y: {
      label: null,
      domain: solvers,
      tickFormat: narrow ? (d) => d.replace(/\s*\(.*?\)/g, "").replace(/, DDIM-pinv init/, " +pinv") : undefined,
    },
    fy: {label: null, domain: panels, tickRotate: narrow ? 90 : 0},
    facet: {marginRight: narrow ? 24 : 60},
    color: {...colour, legend: false},
    symbol: {legend: true, domain: ["fitted Gaussian prior", "trained UNet"], range: ["circle", "square"]},
    marks: [
      Plot.ruleX([1], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.text(notes, {
        fy: "panel",
        x: 1,
        frameAnchor: "top",
        dy: -18,
        textAnchor: "start",
        dx: 4,
        text: () => (narrow ? "right of 1: fewer calls in a row" : "right of 1: fewer batched calls in a row than the serial chain's T"),
        fontSize: 10,
      }),
      Plot.dot(data, {fy: "panel", y: "solver", x: "speedup", stroke: "solver", symbol: "prior", r: 3.5, strokeWidth: 1.5}),
      Plot.tip(
        data,
        Plot.pointer({
          fy: "panel",
          y: "solver",
          x: "speedup",
          title: (d) => `${d.solver}\n${d.prior}: ${d.where}, T = ${d.T}\nT / iterations = ${d.speedup.toFixed(2)}`,
        }),
      ),
    ],
  });
}

/** Log-axis ticks at 1, 2, 5 × 10^k inside [lo, hi] (at least the two ends' neighbours). */
function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) out.push(m * 10 ** e);
  const inside = out.filter((t) => t >= lo / 1.01 && t <= hi * 1.01);
  return inside.length >= 2 ? inside : out.filter((t) => t >= lo / 10 && t <= hi * 10);
}

/**
 * Mean PSNR against mean NFE per image (log), one small panel per task cell, wrapped into rows
 * (one column on a phone), each panel titled on the figure.
 */
export function qualityVsNfeChart(summary, {width = 900} = {}) {
  width = chartWidth(width);
  const rows = summary.filter((r) => r.nfe.mean > 0);
  const cells = [...new Set(rows.map(taskLabel))];
  const cols = width < 640 ? 1 : Math.min(3, cells.length);
  const at = new Map(cells.map((c, i) => [c, {col: i % cols, row: Math.floor(i / cols)}]));
  const data = rows.map((r) => ({
    ...r,
    key: keyOf(r),
    cell: taskLabel(r),
    psnrMean: r.psnr.mean,
    nfeMean: r.nfe.mean,
    ...at.get(taskLabel(r)),
  }));
  const nfe = data.map((d) => d.nfeMean);
  const ticks = data.length ? logTicks(Math.min(...nfe), Math.max(...nfe)) : [];
  const titles = cells.map((c) => ({cell: c, ...at.get(c)}));
  return Plot.plot({
    width,
    height: 50 + 210 * Math.ceil(cells.length / cols),
    marginTop: 40,
    x: {type: "log", label: "NFE per image (network evaluations, log scale)", ticks, tickFormat: "~s", inset: 10},
    y: {label: "PSNR (dB)", grid: true, ticks: 4},
    fx: {axis: null},
    fy: {axis: null},
    facet: {marginTop: 24},
    color: colourScale(data),
    marks: [
      Plot.text(titles, {fx: "col", fy: "row", text: "cell", frameAnchor: "top", dy: -16, fontWeight: "bold", fontSize: 11}),
      Plot.dot(
        data.filter((d) => !d.oracle),
        {fx: "col", fy: "row", x: "nfeMean", y: "psnrMean", stroke: "key", r: 4, strokeWidth: 1.5},
      ),
      Plot.dot(
        data.filter((d) => d.oracle),
        {fx: "col", fy: "row", x: "nfeMean", y: "psnrMean", fill: "key", symbol: "star", r: 5},
      ),
      Plot.tip(
        data,
        Plot.pointer({
          fx: "col",
          fy: "row",
          x: "nfeMean",
          y: "psnrMean",
          title: (d) => `${d.method}\n${d.cell}\nNFE ${d.nfeMean.toFixed(0)}, PSNR ${pm(d.psnr, 2)} dB`,
        }),
      ),
    ],
  });
}

function phantomTicks(points, width) {
  const ks = [...new Set(points.map((d) => d.k))].sort((a, b) => a - b);
  return width < 640 && ks.length > 3 ? [ks[0], ks[Math.floor(ks.length / 2)], ks[ks.length - 1]] : ks;
}

/**
 * Cosine of the phantom gradient to the exact one against the number of damped steps k, per tau.
 *
 * @param {any} points
 * @param {{ T?: number, width?: number }} [options]
 */
export function phantomChart(points, {T, width = 900} = {}) {
  width = chartWidth(width);
  return Plot.plot({
    width,
    height: 300,
    // Every measured K as a tick; on a phone the close ones (1, 2, 3) would touch: ends and middle only.
    x: {label: "K (damped steps back-propagated from the fixed point)", ticks: phantomTicks(points, width)},
    y: {label: "cosine to the exact gradient", domain: [-1, 1], grid: true},
    fx: {label: null},
    color: {legend: true, type: "ordinal", label: "τ", tickFormat: (d) => `τ = ${d}`},
    facet: {data: points, x: "wrt"},
    marks: [
      Plot.ruleY([0], {stroke: "currentColor", strokeOpacity: 0.4}),
      T ? Plot.ruleX([T], {stroke: "currentColor", strokeDasharray: "4 3"}) : null,
      Plot.line(points, {x: "k", y: "cosine", stroke: "tau", z: "tau"}),
      Plot.dot(points, {x: "k", y: "cosine", fill: "tau", r: 3}),
      Plot.tip(
        points,
        Plot.pointer({
          x: "k",
          y: "cosine",
          title: (d) =>
            `${d.wrt}, K = ${d.k}, τ = ${d.tau}\ncosine ${d.cosine.toFixed(4)}, relative L2 error ${d.relL2.toPrecision(3)}\n${formatMs(d.wallMs)}, ${d.nfe} NFE-equivalents`,
        }),
      ),
    ],
  });
}

/** "commit abc1234 (dirty), 2026-…, wasm, Intel … × 2 cores" */
export function provenanceLine(p) {
  const commit = `${String(p.gitCommit).slice(0, 7)}${p.gitDirty ? " + uncommitted changes" : ""}`;
  const earlier = (p.resumedFrom ?? []).map((r) => `${String(r.gitCommit).slice(0, 7)}${r.gitDirty ? " + uncommitted changes" : ""}`);
  return `commit ${commit}${earlier.length ? ` (resuming cells from ${earlier.join(", ")})` : ""}, ${String(p.date).slice(0, 16).replace("T", " ")} UTC, backend ${p.backend}, ${p.machine.cpu} (${p.machine.cores} cores), Node ${p.node ?? ""}`.replace(
    /, Node $/,
    "",
  );
}
