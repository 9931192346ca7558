import {
  DEFAULT_SETTINGS,
  GRADIENT_METHODS,
  PAGE_T_MAX,
  SITE_PRIORS,
  TASK_LABELS,
  T_RANGE,
  nullSpaceTasks,
  rectRegion,
  settingsFromParams,
  settingsToParams,
  withDataset,
} from "../_deqir/deqir-client.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {range, select} from "./controls.js";
import {colourBar, heatmapCanvas, imageCanvas} from "./imageCanvas.js";
import {figure, figureRow} from "./imagePanel.js";
import {liveJob} from "./liveJob.js";
import {regionPicker} from "./regionPicker.js";
import {backendSentence, dataset} from "./site.js";
import {formatMs, table} from "./table.js";

/** Region as "x0,y0,x1,y1" in the URL, within an image `size` pixels wide and high. */
const parseRect = (v, d, size) => {
  const n = (v ?? "").split(",").map(Number);
  return n.length === 4 && n.every((x) => Number.isInteger(x) && x >= 0 && x <= size) && n[0] < n[2] && n[1] < n[3] ?
      {x0: n[0], y0: n[1], x1: n[2], y1: n[3]}
    : d;
};

/** `r` clipped to an image `size` pixels wide and high; `d` when nothing of it is left. */
const clipRect = (r, size, d) => {
  const c = {x0: Math.min(r.x0, size), y0: Math.min(r.y0, size), x1: Math.min(r.x1, size), y1: Math.min(r.y1, size)};
  return c.x0 < c.x1 && c.y0 < c.y1 ? c : d;
};

/**
 * Attribution through the equilibrium: the reader picks a region of the restored image; the worker
 * computes d(mean over region)/dy and d(...)/dx_T by implicit, phantom and serial back-propagation.
 */
export function gradientsView(precomputed) {
  const root = document.createElement("div");
  const base = {...DEFAULT_SETTINGS, ...precomputed.settings, mask: null};
  const url = new URLSearchParams(location.search);
  let s = settingsFromParams(url, base);
  let o = {
    rect: parseRect(url.get("region"), precomputed.rect, SITE_PRIORS[s.dataset].shape[0]),
    pk: Math.max(1, Math.min(20, +(url.get("pk") ?? precomputed.request.phantomSteps) || 1)),
    ptau: Math.max(0.05, Math.min(1, +(url.get("ptau") ?? precomputed.request.phantomTau) || 0.1)),
    show: GRADIENT_METHODS.includes(/** @type {any} */ (url.get("show"))) ? url.get("show") : "implicit",
    part: url.get("part") === "prior" ? "prior" : "total",
  };
  let result = precomputed.result;
  let caption = `Precomputed: ${precomputed.measuredOn}. Prior: ${precomputed.prior}.`;
  const controls = document.createElement("div");
  const figures = document.createElement("div");
  figures.dataset.role = "gradient-figures";
  const job = liveJob(root, {
    figure: figures,
    precomputed: `computed when the site was built (${precomputed.measuredOn}), for the settings the page opens with.`,
  });

  const writeUrl = () => {
    const p = settingsToParams(s, new URLSearchParams(location.search));
    const r = o.rect;
    p.set("region", `${r.x0},${r.y0},${r.x1},${r.y1}`);
    p.set("pk", String(o.pk));
    p.set("ptau", String(o.ptau));
    p.set("show", o.show);
    p.set("part", o.part);
    history.replaceState(null, "", `${location.pathname}?${p}`);
  };
  const compute = () =>
    job.run(
      async () => ({
        kind: "gradients",
        settings: s,
        truth: (await dataset(s.dataset)).image(s.image),
        request: {
          region: rectRegion(SITE_PRIORS[s.dataset].shape[0], SITE_PRIORS[s.dataset].shape[1], o.rect),
          methods: [...GRADIENT_METHODS],
          phantomSteps: o.pk,
          phantomTau: o.ptau,
        },
      }),
      {
        onResult: (reply, c) => {
          result = reply.result;
          caption = `Computed on this device in a Web Worker; wall time by performance.now(). ${backendSentence(c)} Prior: ${reply.prior}.`;
          draw();
        },
      },
    );
  const change = (patch, opts = {}) => {
    s = {...s, ...(patch.settings ?? {})};
    o = {...o, ...(patch.view ?? {})};
    writeUrl();
    drawControls();
    if (opts.recompute === false) draw();
    else compute();
  };

  const pickerOf = (d) => SITE_PRIORS[d].picker;
  const drawControls = () =>
    controls.replaceChildren(
      datasetSelect(s.dataset, (v) => {
        const next = withDataset(s, v);
        // A region drawn on the larger images is clipped to the new ones (the note then tells the truth).
        change({
          settings: {...next, image: pickerOf(v).includes(s.image) ? s.image : pickerOf(v)[0]},
          view: {rect: clipRect(o.rect, SITE_PRIORS[v].shape[0], precomputed.rect)},
        });
      }),
      select(
        "task",
        nullSpaceTasks(s.dataset).map((t) => [t, TASK_LABELS[t]]),
        s.task,
        (v) => change({settings: {task: v}}),
      ),
      select(
        "image",
        pickerOf(s.dataset).map((i) => [i, `test image ${i}`]),
        s.image,
        (v) => change({settings: {image: +v}}),
      ),
      range("T", {min: T_RANGE.min, max: PAGE_T_MAX.gradients, value: s.T}, (T) => change({settings: {T}})),
      range("phantom steps K", {min: 1, max: 20, value: o.pk}, (pk) => change({view: {pk}})),
      range("phantom τ", {min: 0.05, max: 1, step: 0.05, value: o.ptau, format: (v) => v.toFixed(2)}, (ptau) => change({view: {ptau}})),
      document.createElement("br"),
      select(
        "show",
        GRADIENT_METHODS.map((m) => [m, m === "serial" ? "serial back-propagation" : m]),
        o.show,
        (v) => change({view: {show: v}}, {recompute: false}),
      ),
      select(
        "∂/∂y",
        [
          ["total", "total"],
          ["prior", "through the prior (minus the A⁺ part)"],
        ],
        o.part,
        (v) => change({view: {part: v}}, {recompute: false}),
      ),
      job.cancel,
      attributionLine(s.dataset),
    );

  const draw = () => {
    const r = result;
    const m = r.maps.find((x) => x.method === o.show) ?? r.maps[0];
    const img = r.imageShape;
    const dy = o.part === "prior" ? m.dy.map((v, i) => v - r.directDy[i]) : m.dy;
    const rect = o.rect;
    const picker = regionPicker(r.images.x0, img, rect, {onChange: (rect) => change({view: {rect}})});
    const maxAbs = (a) => `max |·| = ${Math.max(...a.map(Math.abs)).toExponential(2)}`;
    const row = figureRow([
      figure(picker, "restored x₀ — drag to choose a region", {
        note: `${rect.x1 - rect.x0}×${rect.y1 - rect.y0} px at (${rect.x0}, ${rect.y0})`,
      }),
      figure(imageCanvas(r.images.y, r.yShape, {scale: 4}), "measurement y"),
      figure(withColourBar(heatmapCanvas(dy, r.yShape, {scale: 4}), dy), `∂L/∂y (${o.part === "prior" ? "through the prior" : "total"})`, {
        note: maxAbs(dy),
      }),
      figure(
        imageCanvas(
          r.images.xT.map((v) => v / 3),
          img,
          {scale: 4},
        ),
        "initial noise x_T (÷3)",
      ),
      figure(withColourBar(heatmapCanvas(m.dxT, img, {scale: 4}), m.dxT), "∂L/∂x_T", {note: maxAbs(m.dxT)}),
    ]);
    const legend = document.createElement("div");
    legend.style.cssText = "font-size:12px;color:var(--theme-foreground-muted)";
    legend.textContent = `L = mean of x₀ over the region (loss ${m.loss.toFixed(4)}). Method shown: ${m.method}. Each heatmap has its own colour bar, symmetric about 0 (white): red raises L, blue lowers it; axes are pixel columns (→) and rows (↓) of y or x_T.`;
    const ref = r.maps[0].agreement.reference;
    const refMap = r.maps.find((x) => x.method === ref) ?? r.maps[0];
    const rows = r.maps.map((x) => [
      x.method,
      String(x.forwardIterations),
      String(x.adjointIterations),
      String(x.nfeEquivalent),
      formatMs(x.wallMs),
      ...agreementCells(x.dy, refMap.dy, x.agreement.dy),
      ...agreementCells(x.dxT, refMap.dxT, x.agreement.dxT),
    ]);
    const zeroNote =
      r.maps.some((x) => isZero(x.dxT) || isZero(x.dy)) ?
        " “—”: a gradient that is exactly zero has no direction, so its cosine (and, against a zero reference, its relative error) does not exist; e.g. a region of whole 4 × 4 blocks in SR ×4 depends on y only, so ∂L/∂x_T = 0 for every method."
      : "";
    figures.replaceChildren(
      row,
      legend,
      table(
        [
          "method",
          "forward iterations",
          "adjoint iterations / steps",
          "NFE-equivalent",
          "wall time",
          `∂y: rel. L2 to ${ref}`,
          "∂y: cosine",
          `∂x_T: rel. L2 to ${ref}`,
          "∂x_T: cosine",
        ],
        rows,
        {
          caption: `${r.task}, T = ${r.T}, model ${r.model}. ${caption} NFE-equivalent counts a network forward as 1 and a vector-Jacobian product as 2, per image.${zeroNote}`,
        },
      ),
    );
  };
  root.append(controls, job.status, job.freshness.el, figures);
  drawControls();
  draw();
  // A shared link with other settings than the precomputed ones computes them on this device.
  const key = (st, rect, pk, ptau) => JSON.stringify([settingsToParams(st).toString(), rect, pk, ptau]);
  if (key(s, o.rect, o.pk, o.ptau) !== key(base, precomputed.rect, precomputed.request.phantomSteps, precomputed.request.phantomTau))
    compute();
  return root;
}

const isZero = (a) => a.every((v) => v === 0);
const norm = (a) => Math.sqrt(a.reduce((p, v) => p + v * v, 0));

/**
 * [relative L2, cosine] of a gradient against the reference, as table cells. A zero gradient has no
 * direction: its cosine is "—", and a relative error against a zero reference does not exist either.
 */
export function agreementCells(g, ref, agreement) {
  const gz = isZero(g),
    rz = isZero(ref);
  if (gz && rz) return ["— (both 0)", "— (both 0)"];
  if (rz) return ["— (reference 0)", "— (reference 0)"];
  return [agreement.relativeL2.toExponential(1), gz ? "— (this one is 0)" : agreement.cosine.toFixed(3)];
}

/**
 * What the phantom gradient gets right and wrong in a result, computed from its maps against the
 * exact reference: {dy: {cosine, lengthRatio, relativeL2}, dxT: {...}} (null where undefined).
 */
export function phantomAgreement(result) {
  const ph = result.maps.find((m) => m.method === "phantom");
  if (!ph) return null;
  const ref = result.maps.find((m) => m.method === ph.agreement.reference) ?? result.maps[0];
  const one = (wrt) => {
    if (isZero(ref[wrt]) || isZero(ph[wrt])) return null;
    return {cosine: ph.agreement[wrt].cosine, relativeL2: ph.agreement[wrt].relativeL2, lengthRatio: norm(ph[wrt]) / norm(ref[wrt])};
  };
  return {reference: ref.method, dy: one("dy"), dxT: one("dxT")};
}

/** A heatmap with its colour bar (−max … 0 … +max) beside it. */
function withColourBar(canvas, data) {
  const box = document.createElement("div");
  box.style.cssText = "display:inline-flex;gap:4px;align-items:stretch";
  box.append(canvas, colourBar(Math.max(...data.map(Math.abs)), {height: parseFloat(canvas.style.height)}));
  return box;
}

/**
 * The page's sentences about the phantom gradient, computed from the precomputed view's maps (so they
 * cannot contradict its table): direction (cosine) and size (length ratio) through y and x_T.
 */
export function phantomSentences(precomputed) {
  const a = phantomAgreement(precomputed.result);
  const {phantomSteps: K, phantomTau: tau} = precomputed.request;
  const f2 = (v) => v.toFixed(2);
  if (!a) return "";
  const head = `In the first view above (T = ${precomputed.settings.T}, K = ${K}, τ = ${tau}, against ${a.reference} back-propagation):`;
  const way = (c) =>
    c > 0.95 ? "points almost the same way as the exact one"
    : c > 0.5 ? "points roughly the same way as the exact one"
    : c > -0.5 ? "is nearly unrelated in direction to the exact one"
    : "points against the exact one";
  const dy =
    a.dy ?
      `its ∂L/∂y ${way(a.dy.cosine)} (cosine ${f2(a.dy.cosine)}) with ${f2(a.dy.lengthRatio)} times its length, a relative L2 error of ${f2(a.dy.relativeL2)}${K === 1 && Math.abs(a.dy.lengthRatio - tau) < 0.5 * tau ? ` (one damped step passes on only about τ = ${tau} of the A⁺ path)` : ""}.`
    : "its ∂L/∂y has no direction to compare (a zero gradient).";
  const dxT =
    a.dxT ?
      `Its ∂L/∂x_T ${way(a.dxT.cosine)} (cosine ${f2(a.dxT.cosine)}, length ratio ${f2(a.dxT.lengthRatio)}, relative L2 error ${f2(a.dxT.relativeL2)})${K < precomputed.settings.T ? `: x_T reaches x₀ only through all T rows of the chain, and K = ${K} < T steps cut that path` : ""}.`
    : "Its ∂L/∂x_T has no direction to compare (a zero gradient).";
  return `${head} ${dy} ${dxT}`;
}
