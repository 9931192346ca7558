import {provenanceLine} from "./benchmarkCharts.js";
import {table} from "./table.js";

const f1 = (v) => (Number.isFinite(v) ? v.toFixed(1) : "—");
const ci = (m) => `${f1(m.mean)} ± ${Number.isFinite(m.ci95) ? m.ci95.toFixed(1) : "—"}`;

/**
 * What the default run delivers at its own stop: one row per (T, tol) of a stopping results set
 * (the trimmed summaries of data/depth.json's `stopping`), each with its sample size.
 *
 * @param {any} set a `stopping.calibration` or `stopping.evaluation` entry
 * @param {string} caption
 * @param {any} [evaluation] marks the rows whose tolerance is the default one it ran with
 */
export function stoppingTable(set, caption, evaluation) {
  if (!set) {
    const p = document.createElement("p");
    p.textContent = "Not measured yet (npm run bench -- stopping-calibration, then npm run bench -- stopping).";
    return p;
  }
  return table(
    ["T", "tol", "runs", "depth, mean ± 95 % CI (max)", "NFE / T", "x₀ ≥ 40 dB to serial", "worst dB", "wall / serial"],
    [...set.summary]
      .sort((a, b) => a.T - b.T || a.tol - b.tol)
      .map((s) => [
        String(s.T),
        evaluation?.summary.some((e) => e.T === s.T && e.tol === s.tol) ? `${s.tol} (default)` : String(s.tol),
        String(s.n),
        `${ci(s.depth)} (${s.depth.max})`,
        ci(s.nfePerT),
        `${s.atLeast40} / ${s.n}`,
        f1(s.minPsnr),
        ci(s.wallRatio),
      ]),
    {
      caption: `${caption} Measured by ${set.path} (${provenanceLine({...set.provenance, machine: set.provenance.machine ?? {}})}${set.complete ? "" : "; incomplete"}).`,
    },
  );
}

/**
 * The rule's evaluation in words, every number from the data: depth against the oracle's, the
 * PSNR share, NFE and the interleaved wall-clock ratio.
 *
 * @param {any} stopping data/depth.json's `stopping`
 */
export function stoppingFindings(stopping) {
  const p = document.createElement("p");
  const e = stopping.evaluation;
  if (!e) {
    p.textContent = "The default rule has not been evaluated on the benchmark's images yet (npm run bench -- stopping).";
    return p;
  }
  const t = stopping.targets;
  const parts = e.summary.map((s) => {
    const target = t.depth[s.T];
    return `at T = ${s.T}, ${f1(s.depth.mean)} calls in a row on average (at most ${s.depth.max}${target ? `; target ≤ ${target}` : ""}), ${f1(s.nfePerT.mean)}T network evaluations, and ${s.atLeast40} of ${s.n} runs within 40 dB of the serial x₀ (worst ${f1(s.minPsnr)} dB)`;
  });
  const t50 = e.timing.find((x) => x.T === 50);
  p.textContent =
    `With no flags, one image at a time, the default solve stops by its own rule ${parts.join("; ")}.` +
    (t50 ?
      ` On this CPU (wasm, Node), where a batch costs about as much as its images one by one, the wall time follows the NFE: at T = 50 it is ${t50.ratio.toFixed(1)}× the serial chain's (median of ${t50.repeats} interleaved repeats, range ${t50.ratioMin.toFixed(1)}–${t50.ratioMax.toFixed(1)}×).`
    : "");
  return p;
}
