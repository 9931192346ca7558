import {button, line} from "./controls.js";
import {client as siteClient} from "./site.js";
import {whenVisible} from "./whenVisible.js";

/** One line of text for any progress message the worker sends. */
export function progressText(p) {
  switch (p.phase) {
    case "serial":
      return `serial chain: step ${p.step} of ${p.of}`;
    case "deq":
      return `${p.solver ?? "DeqIR"}: iteration ${p.iteration}${p.maxIter ? ` (max ${p.maxIter})` : ""}, relative residual ${p.relResidual.toExponential(2)}`;
    case "gradient":
      return `gradient ${p.index} of ${p.of}: ${p.method}`;
    case "steer":
      return `step ${p.step} of ${p.of}: loss ${p.loss.toExponential(2)}${p.psnr == null ? "" : `, PSNR ${p.psnr.toFixed(2)} dB`}`;
    default:
      return p.message;
  }
}

const LABELS = {
  precomputed: "Precomputed result",
  live: "Live result for the current settings",
  running: "Live, in progress",
  stale: "Stale",
};

/**
 * The one freshness line every live figure carries: whether it shows the precomputed result, a live
 * result for the current settings, one still being computed, or a stale one (the settings changed
 * since, or the run for them was cancelled or failed). A stale figure is dimmed so it does not look
 * current. `el` goes on the page (data-role=freshness, data-state=precomputed|live|running|stale).
 */
export function freshness(figure, role = "freshness") {
  const el = line(role);
  el.className = "deqir-freshness";
  let shown = "precomputed"; // what the figure holds: the precomputed result or a live one
  const set = (state, text) => {
    el.dataset.state = state;
    el.replaceChildren(Object.assign(document.createElement("strong"), {textContent: `${LABELS[state]}: `}), text);
    if (figure) {
      figure.style.transition = "opacity 0.2s";
      figure.style.opacity = state === "stale" ? "0.45" : "";
    }
  };
  const holds = () => (shown === "precomputed" ? "the precomputed result" : "the result of an earlier live run");
  return {
    el,
    state: () => el.dataset.state,
    precomputed(text) {
      shown = "precomputed";
      set("precomputed", text);
    },
    live(text) {
      shown = "live";
      set("live", text);
    },
    running(text) {
      shown = "live";
      set("running", text);
    },
    /** `why` says what happened; the line adds what the figure still shows. */
    stale(why, {partial = false} = {}) {
      set("stale", `${why}. The figure shows ${partial ? "the steps finished before that" : holds()}, not your current settings.`);
    },
  };
}

/**
 * Runs one worker job at a time for a figure: a new run cancels the previous one, work starts only
 * once the figure is on screen, `status` / `cancel` / `freshness.el` (elements to place on the page)
 * say what is going on. Cancel rejects at once (the client stops or replaces the worker), and a
 * worker that fails is replaced: the status says so, and the next run works without a reload.
 *
 * A second live figure on a page takes its own statusRole and freshnessRole.
 * liveJob(root, {figure, statusRole, freshnessRole, progressive, precomputed}) →
 *   {run(makeJob() -> job (it fetches the data it needs), {onProgress, onResult(reply, client), onEnd(outcome), doneText(reply, client)}),
 *    status, cancel, freshness, busy(), changed(why)}
 * `progressive`: the figure draws partial results while the job runs (steering).
 *
 * @param {HTMLElement} root
 * @param {{ figure?: any, statusRole?: string, freshnessRole?: string, progressive?: boolean, precomputed?: any, order?: any }} [options]
 */
export function liveJob(
  root,
  {figure = null, statusRole = "status", freshnessRole = "freshness", progressive = false, precomputed = null, order} = {},
) {
  let ctrl = null;
  let generation = 0; // bumped by changed(): a run that finishes for older settings is stale at once
  const status = line(statusRole, "");
  const cancel = button("Cancel", () => ctrl?.abort(), {role: "cancel"});
  cancel.disabled = true;
  const fresh = freshness(figure, freshnessRole);
  if (precomputed) fresh.precomputed(precomputed);
  const getClient = () => (order ? siteClient(order) : siteClient());
  /**
   * @param {() => any} makeJob
   * @param {{ onProgress?: Function, onResult?: Function, onEnd?: Function, onClient?: Function, doneText?: Function }} [hooks]
   */
  const run = async (makeJob, {onProgress, onResult, onEnd, onClient, doneText} = {}) => {
    ctrl?.abort();
    const mine = (ctrl = new AbortController());
    const ours = () => ctrl === mine;
    const started = generation;
    // Said at once, so a finished run's "done" never stands for the run just asked for.
    status.textContent = "waiting until the figure is on screen…";
    status.style.color = "";
    if (progressive) fresh.running("waiting to start");
    else fresh.stale("Computing your current settings on this device");
    await whenVisible(root);
    if (mine.signal.aborted) return;
    cancel.disabled = false;
    status.textContent = "starting the worker (its first start times the backends on this device)…";
    let c = null;
    let stepsShown = 0;
    try {
      c = await getClient();
      if (mine.signal.aborted) throw Object.assign(new Error("cancelled"), {name: "AbortError"});
      onClient?.(c);
      status.textContent = "starting…";
      const reply = await c.run(await makeJob(), {
        signal: mine.signal,
        onProgress: (p) => {
          if (!ours() || mine.signal.aborted) return;
          status.textContent = progressText(p);
          if (progressive && p.phase === "steer") {
            stepsShown++;
            fresh.running(progressText(p));
          }
          onProgress?.(p);
        },
      });
      if (!ours()) return;
      status.textContent = doneText ? doneText(reply, c) : "done";
      onResult?.(reply, c);
      if (started === generation) fresh.live(`computed on this device (${c.backend}) just now.`);
      else fresh.stale("The settings changed while this was computed; press Run to compute them");
      onEnd?.("done");
    } catch (e) {
      if (!ours()) return;
      const cancelled = mine.signal.aborted;
      if (cancelled) {
        status.textContent = "cancelled";
        fresh.stale("The run for the current settings was cancelled", {partial: progressive && stepsShown > 0});
      } else {
        status.textContent = `error: ${e.name === "AbortError" ? "the run stopped unexpectedly: " : ""}${e.message}`;
        status.style.color = "var(--theme-red)";
        fresh.stale("The run for the current settings failed", {partial: progressive && stepsShown > 0});
        console.warn(e);
      }
      onEnd?.(cancelled ? "cancelled" : "error", e);
      // A replaced worker: say when its successor is ready, so the reader knows a rerun works.
      if (e.name === "WorkerFailedError" && c) {
        c.whenReady().then(
          () =>
            ours() &&
            (status.textContent = `${status.textContent.replace(/\.?$/, ".")} A fresh worker is ready (${c.backend}): run again.`),
          (e2) =>
            ours() &&
            (status.textContent = `${status.textContent.replace(/\.?$/, ".")} A fresh worker did not start either (${e2.message}); the next run tries again.`),
        );
      }
    } finally {
      if (ours()) cancel.disabled = true;
    }
  };
  return {
    run,
    status,
    cancel,
    freshness: fresh,
    busy: () => !cancel.disabled,
    /** The settings changed but nothing was recomputed (a page that waits for Run). */
    changed: (why = "The settings changed since this was computed; press Run to compute them") => {
      generation++;
      if (!ctrl || cancel.disabled) fresh.stale(why);
    },
  };
}
