import {
  ACCEPTED_TYPES,
  DEFAULT_SETTINGS,
  MAX_ITER_RANGE,
  PAGE_T_MAX,
  SITE_PRIORS,
  SOLVERS,
  TASK_LABELS,
  T_RANGE,
  isInpainting,
  maxIterOf,
  boxMask,
  imageFileToPixels,
  settingsFromParams,
  settingsToParams,
  siteTasks,
  withDataset,
} from "../_deqir/deqir-client.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {button, line, range, select} from "./controls.js";
import {imageCanvas} from "./imageCanvas.js";
import {imagePanel} from "./imagePanel.js";
import {maskEditor} from "./maskEditor.js";
import {residualPlot} from "./residualPlot.js";
import {stopPlot, stopStory} from "./stopPlot.js";
import {liveJob} from "./liveJob.js";
import {backendSentence, compilesShaders, dataset} from "./site.js";
import {timingTable} from "./timingTable.js";

const storyBox = (r) => {
  const p = document.createElement("p");
  p.className = "deqir-story";
  p.textContent = stopStory(r);
  return p;
};

const residualNote = () => {
  const p = document.createElement("p");
  p.className = "deqir-note";
  p.textContent =
    "Below, the relative residual ‖F(X) − X‖ / ‖F(X)‖ of the whole stacked state. It often rises at the second iteration before it falls: " +
    "the first call moves every timestep at once from the starting guess towards the measurement, so the network sees inputs unlike the ones it was given, " +
    "and its predictions at those new inputs move the later timesteps further than the first call did. It is not what the rule reads: " +
    "one number for the whole state says nothing of which timesteps are done, while the rule looks at each timestep's implied image (above).";
  return p;
};

/**
 * The overview's live demo. Shows the precomputed result (Node, wasm, build time) at once; when the
 * reader changes a setting it restores the image in the worker on this device. Settings live in the
 * URL, so a view can be shared.
 */
export function overviewDemo(precomputed) {
  const root = document.createElement("div");
  root.className = "deqir-demo";
  const params = new URLSearchParams(location.search);
  let s = settingsFromParams(params);
  let upload = null; // {pixels, notice, dataset} of the reader's image
  const controls = document.createElement("div");
  const picker = document.createElement("div");
  const maskBox = document.createElement("div");
  const notice = line("notice");
  const backendLine = line("backend", "TF.js backend: not started yet (it starts when something is computed on this device).");
  const results = document.createElement("div");
  results.dataset.role = "results";
  const job = liveJob(root, {
    figure: results,
    precomputed: `computed when the site was built (${precomputed.measuredOn}), for the default settings. Change a setting (or press Run) to compute on this device.`,
  });
  const runBtn = button("Run on this device", () => start(), {role: "run"});

  const update = (patch) => {
    const before = s;
    s = {...s, ...patch};
    if (s.dataset !== before.dataset || s.image !== before.image) redraw(drawPicker);
    const p = settingsToParams(s, new URLSearchParams(location.search));
    history.replaceState(null, "", `${location.pathname}${p.size ? `?${p}` : ""}${location.hash}`);
    drawControls();
    start();
  };

  const drawControls = () => {
    controls.replaceChildren(
      // The other prior's first picker image unless this one is in its picker too (as on the other pages).
      datasetSelect(s.dataset, (v) =>
        update(withDataset({...s, image: SITE_PRIORS[v].picker.includes(s.image) ? s.image : SITE_PRIORS[v].picker[0]}, v)),
      ),
      select(
        "task",
        siteTasks(s.dataset).map((t) => [t, TASK_LABELS[t]]),
        s.task,
        (v) => update({task: v}),
      ),
      range("T", {min: T_RANGE.min, max: PAGE_T_MAX.overview, value: s.T}, (v) => update({T: v})),
      select(
        "solver",
        SOLVERS.map((v) => [v, v]),
        s.solver,
        (v) => update({solver: v}),
      ),
      range("max iterations", {min: MAX_ITER_RANGE.min, max: 2 * PAGE_T_MAX.overview, value: maxIterOf(s)}, (v) => update({maxIter: v})),
      select(
        "prior",
        [
          ["auto", "UNet if it loads"],
          ["unet", "UNet"],
          ["gaussian", "diagonal Gaussian"],
        ],
        s.prior,
        (v) => update({prior: v}),
      ),
      document.createElement("br"),
      runBtn,
      job.cancel,
    );
    redraw(drawMask);
  };

  // The picker and the mask editor wait for the prior's images: a failed fetch is shown, not swallowed.
  const redraw = (draw) =>
    draw().catch((e) => {
      notice.textContent = `Could not load the images: ${e.message}`;
      notice.style.color = "var(--theme-red)";
    });

  let pickerDrawn = 0; // a newer draw wins over one still waiting for its images
  const drawPicker = async () => {
    const mine = ++pickerDrawn;
    const ds = await dataset(s.dataset);
    if (mine !== pickerDrawn) return;
    picker.replaceChildren();
    picker.style.cssText = "display:flex;flex-wrap:wrap;gap:4px;align-items:center;margin:8px 0";
    for (const i of SITE_PRIORS[s.dataset].picker.slice(0, 16)) {
      const c = imageCanvas(ds.image(i), ds.shape, {scale: 1.3, title: `test image ${i}: ${ds.label(i)}`});
      c.style.cursor = "pointer";
      c.style.outline = s.image === i ? "2px solid var(--theme-foreground-focus)" : "none";
      c.dataset.pick = String(i);
      c.onclick = () => update({image: i});
      picker.append(c);
    }
    const file = document.createElement("input");
    Object.assign(file, {type: "file", accept: ACCEPTED_TYPES.join(","), name: "upload"});
    file.onchange = async () => {
      const f = file.files?.[0];
      if (!f) return;
      try {
        upload = {...(await imageFileToPixels(f, SITE_PRIORS[s.dataset].shape)), dataset: s.dataset};
        notice.textContent = upload.notice;
        notice.style.color = "";
        update({image: -1});
      } catch (e) {
        notice.textContent = e.message;
        notice.style.color = "var(--theme-red)";
      }
    };
    const up = document.createElement("label");
    up.append("or upload a PNG/JPEG: ", file);
    picker.append(up, attributionLine(s.dataset));
  };

  const truth = async () => {
    const ds = await dataset(s.dataset);
    if (s.image === -1 && upload?.dataset === s.dataset) return upload.pixels;
    if (s.image === -1) notice.textContent = "The uploaded image is not part of a shared link; showing test image 0.";
    return ds.image(Math.max(0, s.image));
  };

  let maskDrawn = 0; // as with the picker: only the newest draw appends its editor
  const drawMask = async () => {
    const mine = ++maskDrawn;
    maskBox.replaceChildren();
    if (!isInpainting(s.task)) return;
    const [H, W, C] = SITE_PRIORS[s.dataset].shape;
    const mask = s.mask ? Uint8Array.from(s.mask) : Uint8Array.from(boxMask(H, W, 0.5));
    const background = await truth();
    if (mine !== maskDrawn) return;
    const editor = maskEditor(mask, background, {size: H, channels: C, onChange: (m) => update({mask: Uint8Array.from(m)})});
    maskBox.append(
      "Draw the missing region (drag; shift-drag restores pixels):",
      document.createElement("br"),
      editor,
      button("Reset to the centred box", () => update({mask: null})),
    );
  };

  const show = (r, how) => {
    const imgs = r.images;
    const yNote = r.task;
    results.replaceChildren(
      imagePanel([
        {key: "y", label: "measurement y", note: yNote, ...imgs.y},
        {key: "Apy", label: `A⁺y (${r.psnrApy.toFixed(1)} dB)`, ...imgs.Apy},
        {key: "serial", label: `serial chain, T = ${r.T}`, ...imgs.serial},
        {key: "deq", label: `DeqIR (${r.solver}), ${r.deq.iterations} iterations`, ...imgs.deq},
        {key: "truth", label: "ground truth", ...imgs.truth},
      ]),
      timingTable(
        [
          {method: "serial chain", ...r.serial},
          {
            method: `DeqIR, ${r.solver}`,
            ...r.deq,
            note: `${r.deq.converged ? `stopped by its rule (${r.deq.rule}, tol ${r.deq.tol})` : "stopped at max iterations"}; max |x0 − serial x0| = ${r.deq.maxAbsDiffToSerial.toExponential(1)}`,
          },
        ],
        {caption: how},
      ),
      storyBox(r),
      stopPlot(r.deq, r.T),
      residualNote(),
      residualPlot([{solver: r.solver, history: r.deq.relResidual.map((relResidual, i) => ({iteration: i + 1, relResidual}))}], {
        tol: r.deq.rule === "relative" ? r.deq.tol : undefined,
        height: 200,
      }),
    );
  };

  function start() {
    runBtn.disabled = true;
    job.run(async () => ({kind: "demo", settings: {...s, mask: s.mask ? Uint8Array.from(s.mask) : null}, truth: await truth()}), {
      onClient: (c) => (backendLine.textContent = backendSentence(c)),
      doneText: (reply) => `done; worker tensors in memory: ${reply.memory.numTensors}`,
      onResult: (reply, c) => {
        backendLine.textContent = backendSentence(c);
        const shaders =
          compilesShaders(c) ?
            `; a fresh worker's first run also compiles ${c.backend === "webgpu" ? "WebGPU" : "WebGL"} shaders, so run again for warm numbers`
          : "";
        show(
          reply.result,
          `Computed on this device in a Web Worker, TF.js ${c.backend} backend; wall time by performance.now(), reading results back included${shaders}. Prior: ${reply.prior}.`,
        );
        job.status.dataset.numTensors = reply.memory.numTensors;
      },
      onEnd: () => (runBtn.disabled = false),
    });
  }

  drawControls();
  redraw(drawPicker);
  const pre = precomputed.result;
  show(pre, `Precomputed: ${precomputed.measuredOn}. Prior: ${precomputed.prior}.`);
  root.append(controls, picker, maskBox, notice, backendLine, job.status, job.freshness.el, results);
  // A shared link with other settings computes that view as soon as it is on screen.
  if (settingsToParams(s).toString() !== settingsToParams(DEFAULT_SETTINGS).toString()) start();
  return root;
}
