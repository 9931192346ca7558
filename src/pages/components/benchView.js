import {button, select} from "./controls.js";
import {liveJob} from "./liveJob.js";
import {table} from "./table.js";
import {backendSentence, dataset} from "./site.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {SITE_DATASETS} from "../_deqir/deqir-client.js";

/**
 * Per-iteration cost on this device: one DeqIR map evaluation (T network calls batched) against one
 * serial step (one call). DeqIR beats the chain in wall time when iterations × map < T × step. Then
 * the whole restoration: the default solver until x₀ is within 40 dB of the serial x₀ against the
 * serial chain, the speed-up scripts/gpuWallClock.ts measures on a GPU.
 * URL: ?T=20,50&prior=unet&dataset=emoji&reps=3,5&auto=1 runs at once (scripts/benchBrowser.ts uses it).
 */
export function benchView(precomputed) {
  const root = document.createElement("div");
  const q = new URLSearchParams(location.search);
  let Ts = (q.get("T") ?? "10,20")
    .split(",")
    .map(Number)
    .filter((t) => t >= 1 && t <= 100);
  let prior = ["unet", "gaussian", "auto"].includes(q.get("prior")) ? q.get("prior") : "auto";
  let data = SITE_DATASETS.includes(/** @type {any} */ (q.get("dataset"))) ? q.get("dataset") : SITE_DATASETS[0];
  let credit = attributionLine(data);
  const [mapReps, stepReps] = (q.get("reps") ?? "3,5").split(",").map(Number);
  const out = document.createElement("div");
  out.dataset.role = "bench-live";
  const job = liveJob(root, {
    figure: out,
    precomputed: "the table below was measured when the site was built; press Measure to time this device.",
  });
  const json = document.createElement("pre");
  json.dataset.role = "bench-json";
  json.style.display = "none";
  const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
  const timingTable = (timings, caption) =>
    table(
      ["T", "one DeqIR map (T calls batched)", "one serial step", "map / step", "break-even iterations (T × step / map)"],
      timings.map((r) =>
        [r.T, ms(r.mapMs), ms(r.stepMs), (r.mapMs / r.stepMs).toFixed(1), ((r.T * r.stepMs) / r.mapMs).toFixed(1)].map(String),
      ),
      {caption, className: ""},
    );
  // The whole restoration, as scripts/gpuWallClock.ts times it on a GPU: the default solver until x₀
  // is within 40 dB of the serial x₀, against the serial chain (rows without it: older results).
  const speedupTable = (timings, caption) => {
    const rows = timings.filter((r) => r.toCriterion);
    if (!rows.length) return null;
    const head = [
      "T",
      "serial chain (T steps)",
      `DeqIR, ${rows[0].toCriterion.solver}: calls in a row to 40 dB`,
      "DeqIR time to 40 dB",
      "speed-up (serial / DeqIR)",
    ];
    const box = table(
      head,
      rows.map((r) => {
        const c = r.toCriterion;
        return [
          r.T,
          ms(c.serialMs),
          c.depth ?? `not within ${r.T}`,
          c.msToCriterion == null ? "—" : ms(c.msToCriterion),
          c.speedup == null ? "—" : `${c.speedup.toFixed(2)} ×`,
        ].map(String);
      }),
      {caption, className: ""},
    );
    box.querySelector("table").dataset.role = "bench-speedup";
    return box;
  };
  const speedupCaption = (timings) => {
    const c = timings.find((r) => r.toCriterion)?.toCriterion;
    return c ?
        `The whole restoration, each once after the warm-ups above: the serial chain, and DeqIR with the default solver (${c.solver}) stopped at the first batched call whose x₀ meets ${c.criterion}, the criterion the repository's GPU script (npm run bench:gpu) uses. Above 1 ×, DeqIR restores faster than the chain on this device.`
      : "";
  };
  const run = () =>
    job.run(
      async () => ({
        kind: "bench",
        prior,
        dataset: data,
        T: Ts,
        truth: (await dataset(data)).image(0),
        reps: {map: mapReps, step: stepReps},
      }),
      {
        onResult: (reply, c) => {
          const caption = `Measured on this device: median of ${mapReps} map evaluations and ${stepReps} steps after one warm-up each, read-back included. ${backendSentence(c)} Prior: ${reply.prior}.`;
          out.replaceChildren(
            ...[
              timingTable(reply.result, caption),
              speedupTable(reply.result, `Measured on this device. ${speedupCaption(reply.result)}`),
            ].filter(Boolean),
          );
          json.textContent = JSON.stringify({
            backend: c.backend,
            reasons: c.reasons,
            backendTimings: c.timings,
            prior: reply.prior,
            userAgent: navigator.userAgent,
            timings: reply.result,
          });
        },
      },
    );
  const changed = () => out.childElementCount && job.changed("T or the prior changed since this was measured; press Measure");
  const setData = (v) => {
    data = v;
    credit.replaceWith((credit = attributionLine(data)));
    changed();
  };
  root.append(
    select(
      "T",
      [
        ["10,20", "10 and 20"],
        ["20,50", "20 and 50"],
        ["10", "10"],
      ],
      Ts.join(","),
      (v) => ((Ts = v.split(",").map(Number)), changed()),
    ),
    datasetSelect(data, setData),
    select(
      "prior",
      [
        ["auto", "UNet if it loads"],
        ["gaussian", "diagonal Gaussian"],
      ],
      prior,
      (v) => ((prior = v), changed()),
    ),
    button("Measure on this device", run, {role: "run"}),
    job.cancel,
    credit,
    job.status,
    job.freshness.el,
    out,
    json,
    timingTable(
      precomputed.timings,
      `Precomputed: ${precomputed.measuredOn}; median of ${precomputed.reps?.map ?? "—"} map evaluations and ${precomputed.reps?.step ?? "—"} steps after a warm-up, T = ${precomputed.timings.map((t) => t.T).join(" and ")}. Prior: ${precomputed.prior}.`,
    ),
    ...[speedupTable(precomputed.timings, `Precomputed: ${precomputed.measuredOn}. ${speedupCaption(precomputed.timings)}`)].filter(
      Boolean,
    ),
  );
  if (q.get("auto")) run();
  return root;
}
