import {DEFAULT_SETTINGS, PAGE_T_MAX, T_RANGE, settingsFromParams, withDataset} from "../_deqir/deqir-client.js";
import {attributionLine, datasetSelect} from "./priorPicker.js";
import {range, select} from "./controls.js";
import {liveJob} from "./liveJob.js";
import {backendSentence, dataset} from "./site.js";
import {trajectoryGrid} from "./trajectoryGrid.js";

/**
 * The trajectory grid with its settings: precomputed first; changing T recomputes every iterate
 * in the worker on this device (x0|t costs one extra batched network call per iteration).
 */
export function trajectoryView(precomputed) {
  const root = document.createElement("div");
  let grid = precomputed.grid;
  root.className = "deqir-trajectory-view";
  // The URL may pick the prior (?prior=gaussian, ?dataset=emoji); T and the solver settings start at the precomputed ones.
  const fromUrl = settingsFromParams(new URLSearchParams(location.search));
  let settings = withDataset({...DEFAULT_SETTINGS, ...precomputed.settings, mask: null, prior: fromUrl.prior}, fromUrl.dataset);
  let credit = attributionLine(settings.dataset);
  let solver = "picard";
  let show = "x";
  const box = document.createElement("div");
  const job = liveJob(root, {
    figure: box,
    statusRole: "trajectory-status",
    precomputed: `computed when the site was built (${precomputed.measuredOn}), T = ${precomputed.settings.T}. Prior: ${precomputed.prior}.`,
  });
  const draw = () => box.replaceChildren(trajectoryGrid(grid, solver, {show}));
  const live = (patch) => {
    settings = {...settings, ...patch};
    credit.replaceWith((credit = attributionLine(settings.dataset)));
    job.run(
      async () => ({
        kind: "trajectory",
        settings,
        truth: (await dataset(settings.dataset)).image(settings.image),
        solvers: ["picard", "anderson"],
      }),
      {
        doneText: (reply, c) => `Computed on this device. ${backendSentence(c)} Prior: ${reply.prior}.`,
        onResult: (reply) => {
          grid = reply.result;
          draw();
        },
      },
    );
  };
  root.append(
    datasetSelect(settings.dataset, (v) => live(withDataset(settings, v))),
    select(
      "solver",
      [
        ["picard", "Picard"],
        ["anderson", "Anderson (triangular)"],
      ],
      solver,
      (v) => ((solver = v), draw()),
    ),
    select(
      "show",
      [
        ["x", "state after step k"],
        ["x0Pred", "x0|t, the model's guess of x₀"],
      ],
      show,
      (v) => ((show = v), draw()),
    ),
    range("T", {min: T_RANGE.min, max: PAGE_T_MAX.trajectory, value: settings.T}, (T) => live({T, maxIter: null})),
    job.cancel,
    credit,
    job.status,
    job.freshness.el,
    box,
  );
  draw();
  // A link that picks the colour prior computes its grid as soon as it is on screen (the precomputed one is grey).
  if (settings.dataset !== (precomputed.settings.dataset ?? DEFAULT_SETTINGS.dataset)) live({});
  return root;
}
