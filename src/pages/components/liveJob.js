import {button, line} from "./controls.js";
import {client, dataset} from "./site.js";
import {whenVisible} from "./whenVisible.js";

/** One line of text for any progress message the worker sends. */
export function progressText(p) {
  switch (p.phase) {
    case "serial":
      return `serial chain: step ${p.step} of ${p.of}`;
    case "deq":
      return `${p.solver ?? "DeqIR"}: iteration ${p.iteration}, residual ${p.relResidual.toExponential(1)}`;
    case "gradient":
      return `gradient ${p.index} of ${p.of}: ${p.method}`;
    case "steer":
      return `step ${p.step} of ${p.of}: loss ${p.loss.toExponential(2)}${p.psnr == null ? "" : `, PSNR ${p.psnr.toFixed(2)} dB`}`;
    default:
      return p.message;
  }
}

/**
 * Runs one worker job at a time for a figure: a new run cancels the previous one, work starts only
 * once the figure is on screen, and `status` / `cancel` (elements to place on the page) say what
 * is going on. run(makeJob(dataset) -> job, {onProgress, onResult(reply, client)}).
 */
export function liveJob(root) {
  let ctrl = null;
  const status = line("status", "");
  const cancel = button("Cancel", () => ctrl?.abort(), {role: "cancel"});
  cancel.disabled = true;
  const run = async (makeJob, {onProgress, onResult} = {}) => {
    ctrl?.abort();
    const mine = (ctrl = new AbortController());
    // Said at once, so a finished run's "done" never stands for the run just asked for.
    status.textContent = "waiting…";
    await whenVisible(root);
    if (mine.signal.aborted) return;
    cancel.disabled = false;
    status.textContent = "starting…";
    try {
      const c = await client();
      const reply = await c.run(makeJob(await dataset()), {
        signal: mine.signal,
        onProgress: (p) => {
          status.textContent = progressText(p);
          onProgress?.(p);
        }
      });
      status.textContent = "done";
      onResult?.(reply, c);
    } catch (e) {
      if (ctrl === mine) status.textContent = mine.signal.aborted ? "cancelled" : `error: ${e.name === "AbortError" ? "the run stopped unexpectedly" : ""}${e.message}`;
      if (ctrl === mine && !mine.signal.aborted) console.warn(e);
    } finally {
      if (ctrl === mine) cancel.disabled = true;
    }
  };
  return {run, status, cancel, busy: () => !cancel.disabled};
}
