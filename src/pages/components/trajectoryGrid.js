import {imageCanvas} from "./imageCanvas.js";
import {player} from "./player.js";

/**
 * The all-timestep view of one solver: rows are iterations (up to the scrubber), columns are the T
 * steps (the state after step k, or the model's x0|t at step k), with the serial trajectory on top
 * as the target. A state is outlined when it matches the serial one to within `tol` (max abs, in
 * float, measured when the grid was computed; x0|t cells follow their step's state): Picard
 * fixes one more column per iteration; an accelerated solver gets many columns close at once.
 */
export function trajectoryGrid(grid, solver, {show = "x", tol = 1e-3, scale = 1.6} = {}) {
  const run = grid.solvers[solver];
  const root = document.createElement("div");
  root.className = "deqir-trajectory-grid";
  const table = document.createElement("div");
  const cols = grid.T;
  table.style.cssText = `display:grid;grid-template-columns:110px repeat(${cols}, auto) auto;gap:3px;align-items:center;font-size:11px;overflow-x:auto`;
  const serial = grid.serial[show];
  const rows = [];
  const head = document.createElement("div");
  table.append(head);
  grid.t.forEach((t, k) => {
    const h = document.createElement("div");
    h.textContent = k === cols - 1 && show === "x" ? "x₀" : `step ${k + 1} (from t=${t})`;
    table.append(h);
  });
  const exactHead = document.createElement("div");
  exactHead.textContent = "steps equal to serial";
  table.append(exactHead);
  const addRow = (label, images, err) => {
    const l = document.createElement("div");
    l.textContent = label;
    const cells = images.map((b64, k) => {
      const c = imageCanvas(b64, grid.shape ?? [28, 28, 1], {scale: 1, title: `${label}, step ${k + 1}`});
      c.style.width = c.style.height = `${Math.round(28 * scale)}px`; // same on-screen size for 28x28 and 32x32
      if (err) {
        const ok = err[k] <= tol;
        c.title += ok ? " — equals the serial state" : ` — max |difference to serial| = ${err[k].toExponential(1)}`;
        c.style.outline = ok ? "2px solid var(--theme-green)" : "none";
        c.dataset.exact = String(ok);
      }
      return c;
    });
    // On the figure, what to read from the row: how many steps already equal the serial ones.
    const count = document.createElement("div");
    count.style.cssText = "font-weight:600;white-space:nowrap";
    count.textContent = err ? `${err.filter((e) => e <= tol).length} / ${cols}` : "target";
    table.append(l, ...cells, count);
    return [l, ...cells, count];
  };
  addRow("serial (target)", serial, null);
  run[show].forEach((images, i) =>
    rows.push(addRow(`iteration ${i + 1} · ${run.relResidual[i].toExponential(1)}`, images, run.errToSerial[i])),
  );
  // What to look at, computed from this run: the outlined front and when it reaches x0.
  const allExact = run.errToSerial.findIndex((e) => e.every((v) => v <= tol));
  const look = document.createElement("p");
  look.dataset.role = "trajectory-annotation";
  look.style.cssText = "font-size:13px;margin:4px 0";
  look.textContent = `What to look at: green outline = the state equals the serial one (max |difference| ≤ ${tol}). Read down the rows: the outlines spread from step 1 towards x₀ as the iterations go${
    allExact >= 0 ?
      `; in this run every step equals the serial one from iteration ${allExact + 1} of ${run.errToSerial.length}`
    : `; in this run not every step reaches the serial one within ${run.errToSerial.length} iterations`
  }.`;
  const scrub = player(rows.length, (i) => rows.forEach((r, j) => r.forEach((e) => (e.style.visibility = j <= i ? "visible" : "hidden"))));
  root.append(look, scrub, table);
  return root;
}
