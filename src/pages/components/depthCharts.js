import {chartWidth} from "./fitWidth.js";
import * as Plot from "@observablehq/plot";
import {colourOf, variantColour} from "./methodColours.js";
import {table} from "./table.js";

/**
 * Sequential depth figures (Benchmarks and Solving), all from the committed depth benchmark
 * (data/benchmarks/depth.json, trimmed by data/depth.json.ts): how many batched network calls in a
 * row each solver needs before its x₀ reaches the serial chain's. `d` is the loader's output:
 * {units: [{T, task, solver, images: [{image, psnr[], depth}]}], summary, criteria, settings, …}.
 * Colours: methodColours.js (Picard blue, ParaTAA amber, per-row Anderson purple; a second variant
 * of a group a lighter shade).
 */

/** PSNR axis range (dB): early iterates lie far below, converged ones far above; both are clamped to the edges. */
export const DEPTH_PSNR_RANGE = [-10, 80];
const CRITERION_DB = 40;

/** The (T, task) cells present, in the run's order. */
function cellsOf(d) {
  const out = [];
  for (const T of d.settings.Ts)
    for (const task of d.settings.tasks) if (d.units.some((u) => u.T === T && u.task === task)) out.push({T, task});
  return out;
}

const solversOf = (d) => d.settings.variants.map((v) => v.name).filter((n) => d.units.some((u) => u.solver === n));
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;

/** Mean PSNR over a unit's images after each iteration (the images of a unit run as one batch: equal lengths). */
function meanCurve(u) {
  const n = Math.max(...u.images.map((im) => im.psnr.length));
  return Array.from({length: n}, (_, i) => mean(u.images.map((im) => im.psnr[Math.min(i, im.psnr.length - 1)] ?? NaN)));
}

/**
 * PSNR(x₀, serial x₀) against sequential depth, one panel per (T, task) present: the mean over
 * images per solver (thick), each image thin when `perImage`, a rule at 40 dB. Panels wrap to the
 * column (one per row on a phone). `Ts`/`tasks` restrict the panels (the Solving page shows fewer).
 */
export function depthCurves(d, {width: asked = 900, perImage = true, Ts = null, tasks = null, panelHeight = 200} = {}) {
  const width = chartWidth(asked);
  const cells = cellsOf(d).filter((c) => (!Ts || Ts.includes(c.T)) && (!tasks || tasks.includes(c.task)));
  const solvers = solversOf(d);
  const colour = variantColour(solvers, {legend: false});
  const root = document.createElement("div");
  root.dataset.role = "depth-curves";
  const legend = Plot.legend({color: {...colour, legend: true}, swatchSize: 12, className: "deqir-depth-legend"});
  root.append(legend);
  const grid = document.createElement("div");
  grid.style.cssText = "display:flex;flex-wrap:wrap;gap:8px 16px";
  const perRow = width < 640 ? 1 : Math.max(1, Math.min(cells.length, width >= 1100 ? 4 : 2));
  // At most 640 px a panel: a single panel on a wide page would stretch the curves flat.
  const panelWidth = Math.min(640, Math.floor((width - 16 * (perRow - 1)) / perRow));
  const [lo, hi] = DEPTH_PSNR_RANGE;
  cells.forEach(({T, task}, i) => {
    const units = d.units.filter((u) => u.T === T && u.task === task);
    const images =
      perImage ?
        units.flatMap((u) => u.images.flatMap((im) => im.psnr.map((p, k) => ({solver: u.solver, image: im.image, depth: k + 1, psnr: p}))))
      : [];
    const means = units.flatMap((u) => meanCurve(u).map((p, k) => ({solver: u.solver, depth: k + 1, psnr: p, n: u.images.length})));
    const title = `T = ${T} · ${String(d.taskLabels[task] ?? task)
      .split("(")[0]
      .trim()}`;
    const panel = Plot.plot({
      width: panelWidth,
      height: panelHeight,
      marginLeft: 40,
      marginTop: 22,
      x: {
        label: i === cells.length - 1 || perRow === 1 ? "sequential depth (batched calls in a row)" : "depth",
        domain: [1, T],
        ticks: Math.min(5, T - 1),
        grid: true,
      },
      y: {label: "PSNR to serial x₀ (dB)", domain: [lo, hi], clamp: true, grid: true, ticks: [0, 20, 40, 60, 80]},
      color: colour,
      marks: [
        Plot.frame({strokeOpacity: 0.15}),
        Plot.ruleY([CRITERION_DB], {stroke: "currentColor", strokeDasharray: "4,3", strokeOpacity: 0.7}),
        Plot.text([`${CRITERION_DB} dB`], {x: T, y: CRITERION_DB, textAnchor: "end", dy: -6, fontSize: 10, fillOpacity: 0.8}),
        Plot.line(images, {
          x: "depth",
          y: "psnr",
          z: (r) => `${r.solver}|${r.image}`,
          stroke: "solver",
          strokeWidth: 0.7,
          strokeOpacity: 0.25,
        }),
        Plot.line(means, {x: "depth", y: "psnr", z: "solver", stroke: "solver", strokeWidth: 2.2}),
        Plot.tip(
          means,
          Plot.pointer({
            x: "depth",
            y: "psnr",
            title: (r) => `${r.solver}\ndepth ${r.depth}: mean ${r.psnr.toFixed(1)} dB over ${r.n} images`,
          }),
        ),
      ],
    });
    const box = document.createElement("figure");
    box.style.cssText = `margin:0;width:${panelWidth}px;max-width:100%`;
    box.dataset.cell = `${T}|${task}`;
    const cap = document.createElement("div");
    cap.style.cssText = "font:bold 12px var(--sans-serif, system-ui, sans-serif);margin:0 0 -2px 40px";
    cap.textContent = title;
    box.append(cap, panel);
    grid.append(box);
  });
  root.append(grid);
  return root;
}

/** Mean over images (those that reached it) of a unit's depth to a criterion, from the summary. */
const crit = (d, T, task, solver, key) => d.summary.find((r) => r.T === T && r.task === task && r.solver === solver)?.criteria[key];

/**
 * Depth to a criterion for one solver at one T, over the tasks measured: the mean over tasks of the
 * per-task means (equal image counts), their range, and how many images of how many reached it.
 */
export function depthAt(d, T, solver, key, tasks = d.settings.tasks) {
  const rows = tasks.map((task) => ({
    task,
    c: crit(d, T, task, solver, key),
    n: d.summary.find((r) => r.T === T && r.task === task && r.solver === solver)?.n,
  }));
  const present = rows.filter((r) => r.c);
  if (!present.length) return null;
  const reachedAll = present.filter((r) => r.c.mean != null);
  const means = reachedAll.map((r) => r.c.mean);
  return {
    tasks: present.length,
    mean: means.length ? mean(means) : null,
    lo: means.length ? Math.min(...means) : null,
    hi: means.length ? Math.max(...means) : null,
    worst: present.every((r) => r.c.max != null) ? Math.max(...present.map((r) => r.c.max)) : null,
    reached: present.reduce((a, r) => a + r.c.reached, 0),
    images: present.reduce((a, r) => a + (r.n ?? 0), 0),
    // Some runs stopped before this criterion (bench --stop-at, cut to fit): not measured there.
    cut: present.some((r) => r.c.run === false),
  };
}

/** "8.0 (7.6–8.0)" or "not within T (0 of 32 images)". */
export function depthText(a, digits = 1) {
  if (!a) return "—";
  if (a.cut) return "not run (cut to fit)";
  if (a.mean == null) return `not within T (0 of ${a.images} images)`;
  const range = a.tasks > 1 && a.hi - a.lo >= 0.05 ? ` (${a.lo.toFixed(digits)}–${a.hi.toFixed(digits)} by task)` : "";
  const some = a.reached < a.images ? `, ${a.reached} of ${a.images} images` : "";
  return `${a.mean.toFixed(digits)}${range}${some}`;
}

/** Ts present in the data (in the run's order). */
export const depthTs = (d) => d.settings.Ts.filter((T) => d.units.some((u) => u.T === T));

/**
 * Mean depth to each criterion per solver and T, over the tasks measured: one row per (T, solver),
 * the solver's colour beside its name (the curves' shade: a second ParaTAA is a lighter amber).
 */
export function depthTable(d, {caption = ""} = {}) {
  const header = ["T", "solver", ...d.criteria.map((c) => c.label), "tasks"];
  const rows = [];
  for (const T of depthTs(d))
    for (const solver of solversOf(d)) {
      const at = d.criteria.map((c) => depthAt(d, T, solver, c.key));
      if (!at[0]) continue;
      rows.push([String(T), solver, ...at.map((a) => depthText(a)), `${at[0].tasks} of ${d.settings.tasks.length}`]);
    }
  const box = table(header, rows, {caption, className: "deqir-table deqir-benchmark-table", key: "t"});
  // The solver's colour beside its name (the same on every chart of the site).
  const scale = variantColour(solversOf(d), {legend: false});
  const colour = (name) => scale.range[scale.domain.indexOf(name)] ?? colourOf(name);
  box.querySelectorAll("tr").forEach((tr, i) => {
    if (!i) return;
    const cell = tr.children[1];
    const sw = document.createElement("span");
    sw.style.cssText = `display:inline-block;width:10px;height:10px;margin-right:5px;background:${colour(cell.textContent)}`;
    cell.prepend(sw);
    tr.dataset.solver = cell.textContent;
  });
  box.dataset.role = "depth-table";
  return box;
}

/** What is measured and what is missing: "12 of 40 units (T = 20 complete; T = 50, 100 not yet)". */
export function depthProgress(d) {
  const Ts = d.settings.Ts.map((T) => {
    const planned = d.settings.tasks.length * d.settings.variants.filter((v) => !v.onlyT || v.onlyT.includes(T)).length;
    const done = d.units.filter((u) => u.T === T).length;
    return {T, planned, done};
  });
  const part = (f) => Ts.filter(f).map((t) => t.T);
  const full = part((t) => t.done === t.planned);
  const some = Ts.filter((t) => t.done > 0 && t.done < t.planned).map((t) => `T = ${t.T}: ${t.done} of ${t.planned}`);
  const none = part((t) => t.done === 0);
  return [
    `${d.units.length} of ${d.plannedUnits} (T, task, solver) units measured`,
    full.length ? `T = ${full.join(", ")} complete` : null,
    some.length ? some.join("; ") : null,
    none.length ? `T = ${none.join(", ")} not yet` : null,
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * The findings, one sentence per T measured, every number from the data: the default solver against
 * Picard on each criterion, and the other variants at 40 dB.
 */
export function depthFindings(d, {others = true, tasks = d.settings.tasks} = {}) {
  const def = d.defaultVariant;
  const fmt = (a) =>
    a?.cut ? "not run (cut to fit)"
    : a?.mean == null ? "not within T"
    : a.mean.toFixed(1);
  const out = [];
  for (const T of depthTs(d)) {
    const at = (solver, key) => depthAt(d, T, solver, key, tasks);
    const D = at(def, "psnr40");
    const P = at("Picard", "psnr40");
    if (!D || !P) continue;
    const which =
      tasks.length === 1 ?
        String(d.taskLabels[tasks[0]] ?? tasks[0])
          .split("(")[0]
          .trim()
      : D.tasks === d.settings.tasks.length ? `all ${D.tasks} tasks`
      : `${D.tasks} of ${d.settings.tasks.length} tasks`;
    let s = `At T = ${T} (${which}, ${d.settings.images} images${tasks.length === 1 ? "" : " each"}), ${def} reaches 40 dB in ${fmt(D)} sequential calls on average (worst image ${D.worst ?? "—"}), Picard in ${fmt(P)} (worst ${P.worst ?? "—"}): ${(T / D.mean).toFixed(1)} × and ${(T / P.mean).toFixed(1)} × fewer calls in a row than the serial chain's ${T}.`;
    s += ` 8-bit identity takes ${fmt(at(def, "bit8"))} against ${fmt(at("Picard", "bit8"))}, max |Δ| ≤ 1e-3 ${fmt(at(def, "abs1e3"))} against ${fmt(at("Picard", "abs1e3"))}.`;
    if (others) {
      const rest = solversOf(d)
        .filter((n) => n !== def && n !== "Picard")
        .map((n) => ({n, a: at(n, "psnr40"), b: at(n, "bit8")}))
        .filter((r) => r.a);
      if (rest.length)
        s += ` ${rest.map((r) => `${r.n}: 40 dB in ${fmt(r.a)}${r.b?.mean == null ? `, never 8-bit identical within T (0 of ${r.b?.images ?? "—"} images)` : ""}`).join("; ")}.`;
    }
    out.push(s);
  }
  return out;
}

/** Lowest and highest PSNR on any curve, and how many image runs got further from the serial x₀ at the second iteration than at the first (early-row amplification). */
export function depthDip(d) {
  const rows = d.summary.filter((r) => r.dipAfterFirst != null);
  const all = d.units.flatMap((u) => u.images.flatMap((im) => im.psnr)).filter((v) => v != null);
  return {
    dipped: rows.reduce((a, r) => a + r.dipAfterFirst, 0),
    runs: rows.reduce((a, r) => a + r.n, 0),
    min: all.length ? Math.min(...all) : null,
    max: all.length ? Math.max(...all) : null,
  };
}

/** The findings as paragraphs (data-role=depth-findings). */
export function depthFindingsEl(d, opts) {
  const div = document.createElement("div");
  div.dataset.role = "depth-findings";
  for (const s of depthFindings(d, opts)) {
    const p = document.createElement("p");
    p.textContent = s;
    div.append(p);
  }
  return div;
}

/**
 * Whether the run is complete, what it has measured and, when it is partial, the command that
 * resumes it; then the provenance line (`provenance`: benchmarkCharts.js's provenanceLine of it).
 */
export function depthStatus(d, provenance) {
  const p = document.createElement("p");
  p.dataset.role = d.complete ? "depth-complete" : "depth-partial";
  const strong = document.createElement("strong");
  strong.textContent = d.complete ? "Run complete." : "Partial run.";
  const code = document.createElement("code");
  code.textContent = "npm run bench -- depth";
  p.append(strong, ` ${depthProgress(d)}. `);
  if (!d.complete) p.append(code, " resumes it (finished units are kept; the missing ones are measured). ");
  p.append(`Measured on ${provenance}.`);
  return p;
}
