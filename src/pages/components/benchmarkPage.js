import {provenanceLine, qualityTable} from "./benchmarkCharts.js";
import {cellRow, rangeOf, settingsText} from "./benchmarkFacts.js";
import {folded, table} from "./table.js";

/**
 * The Benchmarks page's blocks that are more than one call: how the numbers were measured, the
 * noise-handling table and the claims table, each folded with a summary line saying what is inside.
 * Every number is read from the committed results (data/benchmarks.json.ts).
 */

const muted = (text) => {
  const p = document.createElement("p");
  p.style.cssText = "font-size:13px;color:var(--theme-foreground-muted)";
  p.append(text);
  return p;
};

/** Provenance of the quality and solver runs (folded), with a visible warning for a dirty work tree. */
export function measuredNote(q, s) {
  const root = document.createElement("div");
  const cellsMeasured = new Set(q.summary.map((r) => r.task + r.sigmaY)).size;
  const partial =
    q.complete ? "" : ` — partial run: ${cellsMeasured} of ${q.plannedCells} task cells measured so far (the command resumes it)`;
  const ul = document.createElement("ul");
  const li = (...parts) => {
    const e = document.createElement("li");
    e.append(...parts);
    ul.append(e);
  };
  li(
    `Quality — npm run bench -- quality (resumable cell by cell). The trained Fashion-MNIST UNet (models/fashion-unet-small.safetensors) is the prior; ${q.images} images of the shipped test subset, each with its own seeded x_T, measurement noise and step noise, identical for every method. Every method is compared image by image with the reference chain (${q.reference ?? "—"}, what DeqIR converges to). Files: data/benchmarks/quality.json (per image) and quality.csv (summary).`,
  );
  li(
    `Solvers — npm run bench -- solvers: iterations until DeqIR's x₀ is within ${s.target} (max abs) of the serial chain's, ${s.settings?.images?.length ?? "—"} images, ${s.settings?.prior ?? "a fitted Gaussian prior"}. Variants: ${(s.settings?.variants ?? []).map((v) => `${v.name} (${settingsText(v.settings, v.init ?? "xT")})`).join("; ")}. File: data/benchmarks/solvers.json.`,
  );
  root.append(
    folded(
      `How these numbers were measured: ${q.complete ? "complete" : "partial"} quality run (${cellsMeasured} of ${q.plannedCells} task cells), commits, machine, settings`,
      ul,
      muted(
        `Quality run: ${provenanceLine(q.provenance)}${partial}. Model weights sha256 ${String(q.provenance.files?.["models/fashion-unet-small.safetensors"] ?? "").slice(0, 12)}…`,
      ),
      muted(`Solver run: ${provenanceLine(s.provenance)}.`),
    ),
  );
  if (!q.complete)
    root.append(
      muted(`Partial quality run: ${cellsMeasured} of ${q.plannedCells} task cells measured so far; the figures show those cells.`),
    );
  for (const [name, prov] of [
    ["quality", q.provenance],
    ["solver", s.provenance],
  ]) {
    if (!prov.gitDirty && !(prov.resumedFrom ?? []).some((r) => r.gitDirty)) continue;
    const w = document.createElement("p");
    w.className = "warning";
    w.textContent = `Warning: the ${name} run was made from a work tree with uncommitted changes (--allow-dirty), so its commit does not fully name the code that made it.`;
    root.append(w);
  }
  return root;
}

const DEQ = "DeqIR Picard (DDIM-pinv start) T=20";
const DEQ_STOCHASTIC = "DeqIR Picard (DDIM-pinv start) η=0.85 T=20";
const DDRM = "DDRM serial T=20 η=0.85 η_b=1";
const PLAIN = "DDNM (plain, no noise handling) serial T=20 η=0";

/** A⁺y, plain DDNM, DDRM and DeqIR (DDNM⁺) per noisy cell, folded. */
export function noiseTable(q) {
  const row = (task, sigmaY, method) => cellRow(q.summary, task, sigmaY, method);
  // The noisy cells where plain DDNM was measured, in the run's order.
  const cells = [
    ...new Map(
      q.summary.filter((r) => r.method === PLAIN).map((r) => [`${r.task}|${r.sigmaY}`, [r.task, r.sigmaY, `${r.task}, σ_y = ${r.sigmaY}`]]),
    ).values(),
  ];
  const methods = [
    ["A+y", "A⁺y"],
    [PLAIN, "plain DDNM T = 20"],
    [DDRM, "DDRM T = 20"],
    [DEQ, "DeqIR (DDNM⁺), Picard T = 20"],
    [DEQ_STOCHASTIC, "DeqIR (DDNM⁺), η = 0.85"],
  ];
  // DeqIR − DDRM through the reference: both are paired with it on the same images.
  const minusDdrm = (task, sigmaY, m) => {
    const deq = row(task, sigmaY, m),
      ddrm = row(task, sigmaY, DDRM);
    return deq && ddrm ? `${(deq.vsRef - ddrm.vsRef).toFixed(2)} dB` : "—";
  };
  const rows = cells.map(([task, sigmaY, label]) => [
    label,
    ...methods.map(([m]) => row(task, sigmaY, m)?.psnrText ?? "not yet measured"),
    minusDdrm(task, sigmaY, DEQ),
    minusDdrm(task, sigmaY, DEQ_STOCHASTIC),
  ]);
  const deqGaps = cells
    .flatMap(([task, sigmaY]) => [DEQ, DEQ_STOCHASTIC].map((m) => row(task, sigmaY, m)?.psnrVsChain?.mean))
    .filter(Number.isFinite)
    .map(Math.abs);
  const gap =
    deqGaps.length ?
      `; each DeqIR run is at most ${Math.max(...deqGaps).toExponential(1)} dB from its own serial chain in these cells`
    : "";
  return folded(
    `PSNR of A⁺y, plain DDNM, DDRM and DeqIR with noise handling (table, ${cells.length} noisy task cells)`,
    table(["cell", ...methods.map((m) => m[1]), "DeqIR η = 0 − DDRM", "DeqIR η = 0.85 − DDRM"], rows, {
      caption: `Mean PSNR (dB) ± 95 % CI over each method's images. The last columns subtract the two paired differences to the reference chain${gap}. DDRM runs with η = 0.85, so DeqIR on the η = 0.85 chain is the like-for-like comparison.`,
    }),
  );
}

/** The paper's claims beside what was measured here, folded; every number from the data. */
export function claimsTable(q, {DEQ, REF_SOLVER, DDRM, deq, ref, wall}) {
  const S = q.summary;
  const rows = [
    [
      "same result as the serial chain",
      "the fixed point is the sampling chain",
      `DeqIR − reference: ${rangeOf(S, DEQ, (r) => r.psnrVsReference?.mean, 3)} dB (paired); max |x₀ − serial x₀| ${rangeOf(S, DEQ, (r) => r.x0ErrorToSerial.mean, 1, "exp")} with ${settingsText(deq.solver, deq.init)}`,
    ],
    [
      "quality comparable to serial zero-shot restorers",
      "comparable or better than DDNM/DDRM",
      `DDRM − reference: ${rangeOf(S, DDRM, (r) => r.psnrVsReference?.mean, 2)} dB per task cell`,
    ],
    [
      "parallel sampling is faster",
      "fewer sequential steps; wall-time gains on multi-GPU",
      `T / iterations ${rangeOf(S, DEQ, (r) => r.T / r.iterations.mean, 2)} at T = 20 with the UNet; wall time on this CPU is worse${wall ? ` (${wall.lo.toFixed(1)} to ${wall.hi.toFixed(1)} × the serial chain's with Picard, solver benchmark)` : ""}`,
    ],
    [
      `reference solver (${settingsText(ref.solver, ref.init)})`,
      "the default",
      `stops ${rangeOf(S, REF_SOLVER, (r) => r.x0ErrorToSerial.mean, 1, "exp")} (mean max-abs) from the serial x₀; PSNR − reference ${rangeOf(S, REF_SOLVER, (r) => r.psnrVsReference?.mean, 2)} dB`,
    ],
    [
      "initialization optimization boosts quality",
      "yes (its code's default guide is the ground truth)",
      q.initOpt ?
        `measured on ${q.initOpt.cells.map((c) => `${c.preset} σ_y = ${c.sigmaY}`).join(", ")}, ${q.initOpt.images} images (table); the ground-truth guide is an oracle upper bound only`
      : "not measured in this run",
    ],
  ];
  return folded(
    `The paper's claims beside this kit's measurements (table, ${rows.length} claims; ranges over the measured task cells)`,
    table(["claim", "paper", "here (28 × 28 Fashion-MNIST, small UNet, CPU)"], rows, {
      caption:
        "Ranges are over the task cells of the quality run; the paper's numbers are its own (256 × 256 models on GPUs) and are not reproduced here.",
    }),
  );
}
