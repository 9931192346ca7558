import {
  DEFAULT_SETTINGS,
  MAX_ITER_RANGE,
  PAGE_T_MAX,
  SOLVERS,
  STOP_RULES,
  T_RANGE,
  maxIterOf,
  tolOf,
  settingsFromParams,
  settingsToParams,
  withDataset,
} from "../_deqir/deqir-client.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {range, select} from "./controls.js";
import {liveJob} from "./liveJob.js";
import {residualHeatmap} from "./residualHeatmap.js";
import {residualPlot} from "./residualPlot.js";
import {backendSentence, dataset} from "./site.js";
import {solverTable} from "./solverTable.js";

/**
 * Every solver of the site's list (SOLVERS, src/lib/site/jobSettings.ts) on one restoration: residual curves, a residual heatmap (timestep × iteration) and
 * a cost table. Precomputed first; changing a slider solves again on this device. The settings
 * live in the URL (same keys as the overview). `note(comparison, settings)` returns an element drawn
 * under the figures, redrawn with them (a sentence computed from the runs shown).
 *
 * @param {any} precomputed
 * @param {{ note?: (comparison: any, settings: any) => Element }} [options]
 */
export function solversView(precomputed, {note} = {}) {
  const root = document.createElement("div");
  const fromUrl = new URLSearchParams(location.search);
  let s = settingsFromParams(fromUrl, {...DEFAULT_SETTINGS, ...precomputed.settings, mask: null});
  let comparison = precomputed.comparison;
  let heat = "picard";
  let caption = `Precomputed: ${precomputed.measuredOn}. Prior: ${precomputed.prior}.`;
  const figures = document.createElement("div");
  const job = liveJob(root, {
    figure: figures,
    precomputed: `computed when the site was built (${precomputed.measuredOn}), for the settings the page opens with.`,
  });
  const draw = () =>
    figures.replaceChildren(
      residualPlot(comparison.runs, {tol: s.rule === "relative" ? tolOf(s) : undefined}),
      select(
        "heatmap of",
        SOLVERS.map((v) => [v, v]),
        heat,
        (v) => ((heat = v), draw()),
      ),
      residualHeatmap(comparison.runs.find((r) => r.solver === heat) ?? comparison.runs[0]),
      solverTable(comparison, {caption}),
      ...(note ? [note(comparison, s)] : []),
    );
  let credit = attributionLine(s.dataset);
  const live = (patch) => {
    s = {...s, ...patch};
    credit.replaceWith((credit = attributionLine(s.dataset)));
    const p = settingsToParams(s, new URLSearchParams(location.search));
    history.replaceState(null, "", `${location.pathname}${p.size ? `?${p}` : ""}`);
    job.run(async () => ({kind: "solvers", settings: s, truth: (await dataset(s.dataset)).image(Math.max(0, s.image)), solvers: SOLVERS}), {
      onResult: (reply, c) => {
        comparison = reply.result;
        caption = `Computed on this device in a Web Worker; wall time by performance.now(), read-back included. ${backendSentence(c)} Prior: ${reply.prior}.`;
        draw();
      },
    });
  };
  const fmt = (v) => v.toExponential(0);
  root.append(
    datasetSelect(s.dataset, (v) => live(withDataset(s, v))),
    range("T", {min: T_RANGE.min, max: PAGE_T_MAX.solving, value: s.T}, (T) => live({T})),
    range("max iterations", {min: MAX_ITER_RANGE.min, max: 2 * PAGE_T_MAX.solving, value: maxIterOf(s)}, (maxIter) => live({maxIter})),
    range("m", {min: 1, max: 10, value: s.m}, (m) => live({m})),
    range("β", {min: 0.1, max: 1, step: 0.05, value: s.beta, format: (v) => v.toFixed(2)}, (beta) => live({beta})),
    select(
      "λ",
      [1e-6, 1e-4, 1e-3, 1e-2, 1e-1].map((v) => [v, fmt(v)]),
      s.lambda,
      (v) => live({lambda: +v}),
    ),
    select(
      "stop rule",
      STOP_RULES.map((v) => [v, v === "x0" ? "x0 rule (the default)" : "relative residual"]),
      s.rule,
      (v) => live({rule: v, tol: null}),
    ),
    select(
      "tol",
      [
        ["", `default (${tolOf({...s, tol: null})} at T = ${s.T})`],
        ...(s.rule === "x0" ? [0.02, 0.01, 0.005, 1e-3] : [1e-2, 1e-3, 1e-4, 1e-5]).map((v) => [String(v), String(v)]),
      ],
      s.tol ?? "",
      (v) => live({tol: v === "" ? null : +v}),
    ),
    job.cancel,
    credit,
    job.status,
    job.freshness.el,
    figures,
  );
  draw();
  if (settingsToParams(s).toString() !== settingsToParams({...DEFAULT_SETTINGS, ...precomputed.settings, mask: null}).toString()) live({});
  return root;
}
