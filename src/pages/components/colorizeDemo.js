import {COLORIZE_SETTINGS, SITE_PRIORS, colorizeRow} from "../_deqir/deqir-client.js";
import {button, select} from "./controls.js";
import {imageCanvas} from "./imageCanvas.js";
import {liveJob} from "./liveJob.js";
import {attributionLine} from "./priorPicker.js";
import {backendSentence, dataset} from "./site.js";

const dB = (v) => (Number.isFinite(v) ? `${v.toFixed(1)} dB` : "∞ dB");

const COLUMNS = ["grey input y", "DeqIR", "serial chain", "original"];

/**
 * The emoji as a grid, one row each: the grey measurement, DeqIR's colours, the serial chain's and
 * the original. Four equal columns that shrink with the page, so a row stays one row on a phone.
 */
function grid(rs) {
  const el = document.createElement("div");
  el.style.cssText =
    "display:grid;grid-template-columns:repeat(4,minmax(0,96px));gap:6px 10px;font-size:11px;text-align:center;margin:8px 0";
  for (const c of COLUMNS) el.append(Object.assign(document.createElement("div"), {textContent: c, style: "font-weight:600"}));
  for (const r of rs) {
    const cell = (b64, shape, key, note) => {
      const fig = document.createElement("figure");
      fig.style.cssText = "margin:0";
      fig.dataset.image = key;
      fig.dataset.emoji = r.image;
      const c = imageCanvas(b64, shape, {scale: 3, title: `${key}, test image ${r.image}`});
      c.style.width = "100%";
      c.style.height = "auto";
      const cap = Object.assign(document.createElement("figcaption"), {textContent: note});
      cap.style.color = "var(--theme-foreground-muted)";
      fig.append(c, cap);
      return fig;
    };
    el.append(
      cell(r.y, r.yShape, "y", `test image ${r.image}`),
      cell(r.deq, r.shape, "deq", `${r.iterations} it.${r.converged ? "" : " (cap)"}, ${dB(r.psnr.deq)}`),
      cell(r.serial, r.shape, "serial", `T = ${r.T}, ${dB(r.psnr.serial)}`),
      cell(r.truth, r.shape, "truth", r.label),
    );
  }
  return el;
}

/**
 * The overview's colorization demo: the colour emoji prior fills in the colours of a grey emoji.
 * Shows the rows precomputed at build time (src/pages/data/colorize.json.ts); "Colorize on this
 * device" runs the same job (COLORIZE_SETTINGS) in the worker for the chosen emoji. The colour
 * weights are fetched only then.
 */
export function colorizeDemo(precomputed) {
  const root = document.createElement("div");
  root.className = "deqir-colorize";
  const rows = document.createElement("div");
  rows.dataset.role = "colorize-results";
  const caption = document.createElement("div");
  caption.style.cssText = "font-size:12px;color:var(--theme-foreground-muted);max-width:640px";
  const show = (rs, text) => {
    rows.replaceChildren(grid(rs));
    caption.textContent = text;
  };
  const first = precomputed.rows[0];
  const job = liveJob(root, {
    figure: rows,
    statusRole: "colorize-status",
    freshnessRole: "colorize-freshness",
    precomputed: `computed when the site was built (${precomputed.measuredOn}), ${precomputed.rows.length} emoji.`,
  });
  let image = first.image;
  const emoji = SITE_PRIORS.emoji;
  const pick = select(
    "emoji",
    emoji.picker.map((i) => [i, `test image ${i}`]),
    image,
    (v) => {
      image = +v;
      job.changed("Another emoji is chosen; press Colorize to compute it");
    },
  );
  pick.querySelector("select").name = "colorize-image";
  const run = button(
    "Colorize on this device",
    () => {
      run.disabled = true;
      const chosen = image;
      job.run(
        async () => ({kind: "demo", settings: {...COLORIZE_SETTINGS, image: chosen}, truth: (await dataset("emoji")).image(chosen)}),
        {
          doneText: (reply, c) => `done on ${c.backend}; worker tensors in memory: ${reply.memory.numTensors}`,
          onResult: async (reply, c) => {
            const ds = await dataset("emoji");
            show(
              [colorizeRow(chosen, ds.label(chosen), reply.result)],
              `Computed on this device in a Web Worker. ${backendSentence(c)} Prior: ${reply.prior}. Under each result: DeqIR's iterations (it.) and the PSNR to the original.`,
            );
          },
          onEnd: () => (run.disabled = false),
        },
      );
    },
    {role: "colorize-run"},
  );
  show(
    precomputed.rows,
    `Precomputed: ${precomputed.measuredOn}. Prior: ${precomputed.prior}. T = ${first.T}, solver ${first.solver}, started from ${precomputed.settings.init === "xT" ? "x_T alone" : "the DDIM path towards A⁺y (the grey image in every channel)"}. Under each result: DeqIR's iterations (it.) and the PSNR to the original.`,
  );
  root.append(pick, run, job.cancel, job.status, job.freshness.el, rows, caption, attributionLine("emoji"));
  return root;
}
