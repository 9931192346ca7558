import * as Plot from "@observablehq/plot";
import {
  DEFAULT_SETTINGS,
  GUIDES,
  PAGE_T_MAX,
  SITE_PRIORS,
  TASK_LABELS,
  T_RANGE,
  nullSpaceTasks,
  settingsFromParams,
  settingsToParams,
  withDataset,
} from "../_deqir/deqir-client.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {button, range, select} from "./controls.js";
import {imageCanvas} from "./imageCanvas.js";
import {imagePanel} from "./imagePanel.js";
import {liveJob} from "./liveJob.js";
import {backendSentence, dataset} from "./site.js";

const GUIDE_LABELS = {apy: "A⁺y (no ground truth)", oracle: "ground truth (oracle: an upper bound, not a method)"};
const LRS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2];

/** Loss and PSNR per step, side by side. */
function curves(history, {psnrGuide, width = 320, height = 200}) {
  const loss = Plot.plot({
    width,
    height,
    y: {type: "log", label: "loss ‖x₀ − guide‖²", grid: true},
    x: {label: "step", tickFormat: "d"},
    marks: [Plot.line(history, {x: "step", y: "loss", marker: "dot"}), Plot.tip(history, Plot.pointerX({x: "step", y: "loss"}))],
  });
  const psnr = Plot.plot({
    width,
    height,
    y: {label: "PSNR to ground truth (dB)", grid: true},
    x: {label: "step", tickFormat: "d"},
    marks: [
      // The guide's own PSNR (infinite for the oracle guide, which is the truth).
      Number.isFinite(psnrGuide) ? Plot.ruleY([psnrGuide], {stroke: "currentColor", strokeDasharray: "4 3"}) : null,
      Number.isFinite(psnrGuide) ?
        Plot.text([psnrGuide], {y: (d) => d, x: 0, text: () => "A⁺y itself", dy: -6, textAnchor: "start", fontSize: 10})
      : null,
      Plot.line(history, {x: "step", y: "psnr", marker: "dot", stroke: "var(--theme-foreground-focus)"}),
      Plot.tip(history, Plot.pointerX({x: "step", y: "psnr"})),
    ],
  });
  const row = document.createElement("div");
  row.dataset.role = "steering-curves";
  row.style.cssText = "display:flex;flex-wrap:wrap;gap:20px";
  row.append(loss, psnr);
  return row;
}

/** x0 after every step as a strip of thumbnails. */
function filmStrip(frames, shape) {
  const strip = document.createElement("div");
  strip.dataset.role = "steering-frames";
  strip.style.cssText = "display:flex;flex-wrap:wrap;gap:3px;margin:8px 0";
  frames.forEach((f, i) => strip.append(imageCanvas(f, shape, {scale: 1.6, title: `x₀ after step ${i}`})));
  return strip;
}

/**
 * Initialization optimization live: Adam on x_T so that the restored x0 moves towards a guide, with
 * gradients through the equilibrium; the curves and the film strip grow with each step.
 */
export function steeringView(precomputed) {
  const root = document.createElement("div");
  const base = {...DEFAULT_SETTINGS, ...precomputed.settings, mask: null};
  const url = new URLSearchParams(location.search);
  let s = settingsFromParams(url, base);
  const req0 = precomputed.results.apy.request;
  let req = {
    guide: GUIDES.includes(/** @type {any} */ (url.get("guide"))) ? url.get("guide") : req0.guide,
    lr: LRS.includes(+url.get("lr")) ? +url.get("lr") : req0.lr,
    steps: Math.max(1, Math.min(40, Number.parseInt(url.get("steps") ?? "", 10) || req0.steps)),
    method:
      url.get("method") === "implicit" ? "implicit"
      : url.get("method") === "phantom" ? "phantom"
      : req0.method,
  };
  let result = precomputed.results[req.guide] ?? precomputed.results.apy;
  const precomputedCaption = `Precomputed: ${precomputed.measuredOn}. Prior: ${precomputed.prior}.`;
  let caption = precomputedCaption;
  const controls = document.createElement("div");
  const figures = document.createElement("div");
  figures.dataset.role = "steering-figures";
  const preText = (g) =>
    `computed when the site was built (${precomputed.measuredOn}), guide ${g === "oracle" ? "ground truth (oracle)" : "A⁺y"}; press Run to compute on this device.`;
  const job = liveJob(root, {figure: figures, progressive: true, precomputed: preText(req.guide)});
  let partial = null; // the live run's steps so far, kept to redraw them when it is cancelled or fails
  let resultFor = {dataset: base.dataset, task: base.task, image: base.image}; // the problem `result` shows (its truth, y and guide)

  const change = (patch) => {
    s = {...s, ...(patch.settings ?? {})};
    req = {...req, ...(patch.request ?? {})};
    const p = settingsToParams(s, new URLSearchParams(location.search));
    for (const [k, v] of Object.entries(req)) p.set(k, v);
    history.replaceState(null, "", `${location.pathname}?${p}`);
    drawControls();
    // Switching the guide shows the other precomputed run while the settings match the precomputed ones.
    const pre = precomputed.results[req.guide];
    if (
      pre &&
      !job.busy() &&
      settingsToParams(s).toString() === settingsToParams(base).toString() &&
      pre.request.lr === req.lr &&
      pre.request.steps === req.steps &&
      pre.request.method === req.method
    ) {
      [result, caption] = [pre, precomputedCaption];
      draw(result);
      job.freshness.precomputed(preText(req.guide));
    } else job.changed();
  };
  const start = () => {
    const live = {history: [], frames: []};
    const runFor = {dataset: s.dataset, task: s.task, image: s.image, T: s.T, req: {...req}};
    // Partial frames borrow truth, y and guide from the shown result only when they are the same problem.
    const sameProblem = () => runFor.dataset === resultFor.dataset && runFor.task === resultFor.task && runFor.image === resultFor.image;
    partial = null;
    const settings = s;
    job.run(async () => ({kind: "steering", settings, truth: (await dataset(runFor.dataset)).image(runFor.image), request: runFor.req}), {
      onProgress: (p) => {
        if (p.phase !== "steer") return;
        live.history.push({step: p.step, loss: p.loss, psnr: p.psnr, forwardIterations: p.forwardIterations, wallMs: p.wallMs});
        live.frames.push(p.x0);
        // The frames are of the run's prior, whatever the shown result's prior is.
        const imageShape = [...SITE_PRIORS[runFor.dataset].shape];
        partial = {
          ...result,
          imageShape,
          history: live.history,
          frames: live.frames,
          live: true,
          partial: true,
          sameProblem: sameProblem(),
          T: runFor.T,
          task: TASK_LABELS[runFor.task],
          request: runFor.req,
        };
        draw(partial);
      },
      onResult: (reply, c) => {
        result = reply.result;
        resultFor = runFor;
        partial = null;
        caption = `Computed on this device in a Web Worker. ${backendSentence(c)} Prior: ${reply.prior}.`;
        draw(result);
      },
      // A cancelled or failed run's partial curves must not keep saying "Running".
      onEnd: (outcome) => {
        if (outcome !== "done") draw(partial ? {...partial, live: false, interrupted: outcome} : result);
      },
    });
  };
  const drawControls = () =>
    controls.replaceChildren(
      datasetSelect(s.dataset, (v) => {
        const picker = SITE_PRIORS[v].picker;
        change({settings: {...withDataset(s, v), image: picker.includes(s.image) ? s.image : picker[0]}});
      }),
      select(
        "task",
        nullSpaceTasks(s.dataset).map((t) => [t, TASK_LABELS[t]]),
        s.task,
        (v) => change({settings: {task: v}}),
      ),
      select(
        "image",
        SITE_PRIORS[s.dataset].picker.map((i) => [i, `test image ${i}`]),
        s.image,
        (v) => change({settings: {image: +v}}),
      ),
      range("T", {min: T_RANGE.min, max: PAGE_T_MAX.steering, value: s.T}, (T) => change({settings: {T}})),
      document.createElement("br"),
      select(
        "guide",
        GUIDES.map((g) => [g, GUIDE_LABELS[g]]),
        req.guide,
        (guide) => change({request: {guide}}),
      ),
      select(
        "gradient",
        [
          ["phantom", "phantom (k = 1, τ = 0.1, as the reference)"],
          ["implicit", "implicit (exact)"],
        ],
        req.method,
        (method) => change({request: {method}}),
      ),
      select(
        "Adam lr",
        LRS.map((v) => [v, String(v)]),
        req.lr,
        (v) => change({request: {lr: +v}}),
      ),
      range("steps", {min: 1, max: 40, value: req.steps}, (steps) => change({request: {steps}})),
      document.createElement("br"),
      button("Run on this device", start, {role: "run"}),
      job.cancel,
      attributionLine(s.dataset),
    );

  const draw = (r) => {
    const h = r.history;
    const last = r.frames.at(-1);
    const shape = r.imageShape;
    const first = h[0];
    const now = h.at(-1);
    const summary = document.createElement("p");
    summary.dataset.role = "steering-summary";
    const state =
      r.live ? "Running: step"
      : r.interrupted === "cancelled" ? "Cancelled after step"
      : r.interrupted ? "Failed after step"
      : r.stoppedBy === "nan" ? "Stopped: the loss became NaN: step"
      : "Done: step";
    // A partial run of another problem has no truth, y, guide or guide PSNR of its own yet.
    const own = !r.partial || r.sameProblem;
    const psnrGuide = own ? r.psnrGuide : NaN;
    summary.textContent = `${state} ${now.step}; loss ${first.loss.toExponential(2)} → ${now.loss.toExponential(2)}; PSNR ${first.psnr.toFixed(2)} → ${now.psnr.toFixed(2)} dB${Number.isFinite(psnrGuide) ? ` (the guide A⁺y itself: ${psnrGuide.toFixed(2)} dB)` : ""}; ${(now.wallMs / 1000).toFixed(1)} s.`;
    const how = r.partial ? `Computed on this device in a Web Worker; ${r.live ? "still running" : "the run did not finish"}.` : caption;
    figures.replaceChildren(
      summary,
      curves(h, {psnrGuide}),
      imagePanel([
        ...(own ?
          [
            {label: "ground truth", shape, data: r.images.truth},
            {label: "measurement y", shape: r.yShape, data: r.images.y},
            {label: `guide: ${r.request.guide === "oracle" ? "ground truth (oracle)" : "A⁺y"}`, shape, data: r.images.guide},
          ]
        : []),
        {label: "x₀ at step 0 (plain DeqIR)", shape, data: r.frames[0], note: `${first.psnr.toFixed(2)} dB`},
        {label: `x₀ at step ${now.step}`, shape, data: last, note: `${now.psnr.toFixed(2)} dB`},
      ]),
      filmStrip(r.frames, shape),
      Object.assign(document.createElement("div"), {
        style: "font-size:12px;color:var(--theme-foreground-muted)",
        textContent: `${r.task}, T = ${r.T}${r.partial ? "" : `, model ${r.model}`}; Adam lr ${r.request.lr}, ${r.request.method} gradients, guide ${r.request.guide}. ${how} PSNR after clipping to [−1, 1].`,
      }),
    );
  };
  root.append(controls, job.status, job.freshness.el, figures);
  drawControls();
  draw(result);
  // A link with other settings (another prior, task or image) must not present the default figure as its result.
  if (settingsToParams(s).toString() !== settingsToParams(base).toString())
    job.changed(
      `The figure shows the precomputed default (${SITE_PRIORS[base.dataset].label}, ${TASK_LABELS[base.task]}, test image ${base.image}); press Run to compute these settings`,
    );
  return root;
}

/**
 * What the precomputed runs did, in one sentence computed from them: PSNR before the first step and
 * after the last, per guide, and the A⁺y guide's own PSNR.
 */
export function steeringSummary(precomputed) {
  const p = document.createElement("p");
  const runs = Object.entries(precomputed.results ?? {}).filter(([, r]) => r.history?.length);
  if (!runs.length) return p;
  const r0 = runs[0][1];
  const f = (v) => v.toFixed(2);
  const parts = runs.map(([guide, r]) => {
    const h = r.history;
    const best = h.reduce((a, b) => (b.psnr > a.psnr ? b : a));
    const guideOwn = Number.isFinite(r.psnrGuide) ? ` (A⁺y itself: ${f(r.psnrGuide)} dB)` : "";
    return `towards ${guide === "apy" ? "A⁺y" : "the ground truth"} PSNR goes from ${f(h[0].psnr)} dB to ${f(h[h.length - 1].psnr)} dB after ${h[h.length - 1].step} steps${guideOwn}, highest ${f(best.psnr)} dB at step ${best.step}`;
  });
  p.textContent = `In the run this page opens with (${TASK_LABELS[r0.task] ?? r0.task}, T = ${r0.T}, ${r0.request.steps} Adam steps, learning rate ${r0.request.lr}, ${r0.request.method} gradient): ${parts.join("; ")}.`;
  return p;
}
