import {DEFAULT_SETTINGS, PAGE_T_MAX, T_RANGE, settingsFromParams} from "../_deqir/deqir-client.js";
import {range, select} from "./controls.js";
import {liveJob} from "./liveJob.js";
import {backendSentence} from "./site.js";
import {trajectoryGrid} from "./trajectoryGrid.js";

/**
 * The trajectory grid with its settings: precomputed first; changing T recomputes every iterate
 * in the worker on this device (x0|t costs one extra batched network call per iteration).
 */
export function trajectoryView(precomputed) {
  const root = document.createElement("div");
  let grid = precomputed.grid;
  root.className = "deqir-trajectory-view";
  // The URL may pick the prior (?prior=gaussian); T and the solver settings start at the precomputed ones.
  let settings = {...DEFAULT_SETTINGS, ...precomputed.settings, mask: null, prior: settingsFromParams(new URLSearchParams(location.search)).prior};
  let solver = "picard";
  let show = "x";
  const box = document.createElement("div");
  const job = liveJob(root, {
    figure: box,
    statusRole: "trajectory-status",
    precomputed: `computed when the site was built (${precomputed.measuredOn}), T = ${precomputed.settings.T}. Prior: ${precomputed.prior}.`
  });
  const draw = () => box.replaceChildren(trajectoryGrid(grid, solver, {show}));
  const live = (patch) => {
    settings = {...settings, ...patch};
    job.run((ds) => ({kind: "trajectory", settings, truth: ds.image(settings.image), solvers: ["picard", "anderson"]}), {
      doneText: (reply, c) => `Computed on this device. ${backendSentence(c)} Prior: ${reply.prior}.`,
      onResult: (reply) => {
        grid = reply.result;
        draw();
      }
    });
  };
  root.append(
    select("solver", [["picard", "Picard"], ["anderson", "Anderson (triangular)"]], solver, (v) => ((solver = v), draw())),
    select("show", [["x", "state after step k"], ["x0Pred", "x0|t, the model's guess of x₀"]], show, (v) => ((show = v), draw())),
    range("T", {min: T_RANGE.min, max: PAGE_T_MAX.trajectory, value: settings.T}, (T) => live({T, maxIter: null})),
    job.cancel,
    job.status,
    job.freshness.el,
    box
  );
  draw();
  return root;
}
