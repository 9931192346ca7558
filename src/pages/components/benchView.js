import {button, select} from "./controls.js";
import {liveJob} from "./liveJob.js";
import {table} from "./table.js";
import {backendSentence, dataset} from "./site.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {SITE_DATASETS} from "../_deqir/deqir-client.js";

/**
 * Per-iteration cost on this device: one DeqIR map evaluation (T network calls batched) against one
 * serial step (one call), timed alternately. Then the whole restoration as a user runs it: the serial
 * chain and the default solve at its own stop, alternately.
 * URL: ?T=20,50&prior=unet&dataset=emoji&reps=5,5,1&auto=1 runs at once (scripts/benchBrowser.ts uses it).
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
  const [mapReps, stepReps, wholeReps = 1] = (q.get("reps") ?? "5,5,1").split(",").map(Number);
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
  // The whole restoration as a user runs it: the serial chain and the default solve at its own stop.
  const speedupTable = (timings, caption) => {
    const rows = timings.filter((r) => r.defaultRun);
    if (!rows.length) return null;
    const d0 = rows[0].defaultRun;
    const head = [
      "T",
      "serial chain (T steps)",
      `DeqIR default (${d0.solver}, ${d0.rule} rule)`,
      "calls in a row",
      "NFE (chain: T)",
      "x₀ to serial x₀",
      "speed-up (serial / DeqIR)",
    ];
    const box = table(
      head,
      rows.map((r) => {
        const d = r.defaultRun;
        return [
          r.T,
          ms(d.serialMs),
          ms(d.deqMs),
          d.depth,
          d.nfe,
          Number.isFinite(d.psnrToSerial) ? `${d.psnrToSerial.toFixed(1)} dB` : "identical",
          `${d.speedup.toFixed(2)} ×`,
        ].map(String);
      }),
      {caption, className: ""},
    );
    box.querySelector("table").dataset.role = "bench-speedup";
    return box;
  };
  const speedupCaption = (timings) => {
    const d = timings.find((r) => r.defaultRun)?.defaultRun;
    return d ?
        `The whole restoration as a user runs it: after a warm-up of each, the serial chain and DeqIR with the defaults (${d.solver}, stopped by the ${d.rule} rule, tol ${d.tol} at the first T; no oracle), alternately, median of ${d.serialSamples.length}. Above 1 ×, DeqIR restores faster than the chain on this device.`
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
        reps: {map: mapReps, step: stepReps, whole: wholeReps},
      }),
      {
        onResult: (reply, c) => {
          const caption = `Measured on this device: median of ${mapReps} map evaluations and ${stepReps} steps, timed alternately after one warm-up each, read-back included. ${backendSentence(c)} Prior: ${reply.prior}.`;
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
      `Precomputed: ${precomputed.measuredOn}; median of ${precomputed.reps?.map ?? "—"} map evaluations and ${precomputed.reps?.step ?? "—"} steps, timed alternately after a warm-up, T = ${precomputed.timings.map((t) => t.T).join(" and ")}. Prior: ${precomputed.prior}.`,
    ),
    ...[speedupTable(precomputed.timings, `Precomputed: ${precomputed.measuredOn}. ${speedupCaption(precomputed.timings)}`)].filter(
      Boolean,
    ),
  );
  if (q.get("auto")) run();
  return root;
}
