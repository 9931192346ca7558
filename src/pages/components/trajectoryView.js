import {DEFAULT_SETTINGS, PAGE_T_MAX, T_RANGE, settingsFromParams} from "../_deqir/deqir-client.js";
import {button, line, range, select} from "./controls.js";
import {backendSentence, client, dataset} from "./site.js";
import {trajectoryGrid} from "./trajectoryGrid.js";
import {whenVisible} from "./whenVisible.js";

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
  let ctrl = null;
  const box = document.createElement("div");
  const status = line("trajectory-status", `Precomputed: ${precomputed.measuredOn}. Prior: ${precomputed.prior}.`);
  const cancel = button("Cancel", () => ctrl?.abort(), {role: "cancel"});
  cancel.disabled = true;
  const draw = () => box.replaceChildren(trajectoryGrid(grid, solver, {show}));
  const live = async (patch) => {
    settings = {...settings, ...patch};
    ctrl?.abort();
    const mine = (ctrl = new AbortController());
    await whenVisible(root);
    if (mine.signal.aborted) return;
    status.textContent = "computing on this device…";
    cancel.disabled = false;
    try {
      const c = await client();
      const [ds] = [await dataset()];
      const reply = await c.run(
        {kind: "trajectory", settings, truth: ds.image(settings.image), solvers: ["picard", "anderson"]},
        {signal: mine.signal, onProgress: (p) => p.phase === "deq" && (status.textContent = `${p.solver}: iteration ${p.iteration} of at most ${p.maxIter}`)}
      );
      grid = reply.result;
      draw();
      status.textContent = `Computed on this device. ${backendSentence(c)} Prior: ${reply.prior}.`;
    } catch (e) {
      if (ctrl === mine) status.textContent = e.name === "AbortError" ? "cancelled" : `error: ${e.message}`;
    } finally {
      if (ctrl === mine) cancel.disabled = true;
    }
  };
  root.append(
    select("solver", [["picard", "Picard"], ["anderson", "Anderson (triangular)"]], solver, (v) => ((solver = v), draw())),
    select("show", [["x", "state after step k"], ["x0Pred", "x0|t, the model's guess of x₀"]], show, (v) => ((show = v), draw())),
    range("T", {min: T_RANGE.min, max: PAGE_T_MAX.trajectory, value: settings.T}, (T) => live({T, maxIter: null})),
    cancel,
    status,
    box
  );
  draw();
  return root;
}
