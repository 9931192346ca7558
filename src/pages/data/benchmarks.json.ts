// The committed benchmark results for the Benchmarks page: read, trimmed, never recomputed (builds
// stay fast and offline). Regenerate them with `npm run bench -- quality`, `-- solvers` and `-- phantom`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cardPath } from '../../lib/bench/cardReport.js';
import { summarizeQualityFile } from '../../lib/bench/restorationBenchmark.js';
import { deqMethodName, type MethodSettings } from '../../lib/bench/restorationMethods.js';
import { sanityTask, type CardQualityRecord } from '../../lib/quality/qualityBarRows.js';
import { colourQualitySettings } from '../../lib/bench/qualitySettings.js';
import { trainingRecipe } from '../../lib/training/recipes.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (f: string) => JSON.parse(readFileSync(join(root, 'data/benchmarks', f), 'utf8'));
type PhantomRow = { method: string; wallMs: number; nfeEquivalent: number; cosiney: number; cosinexT: number; relL2y: number; relL2xT: number };
const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);
const trimProvenance = (p: Record<string, unknown>) => ({
  gitCommit: p.gitCommit, gitDirty: p.gitDirty, date: p.date, command: p.command, backend: p.backend, machine: p.machine, files: p.files,
});

const quality = read('quality.json');
// The colour prior's run (npm run bench -- quality-colour), once it has been made.
const colour = existsSync(join(root, 'data/benchmarks/quality-colour.json')) ? read('quality-colour.json') : null;
// What the colour run measures (its own settings once made, else the settings it will run with).
const colourSettings = colour?.provenance.settings ?? colourQualitySettings();
const colourPlan = {
  cells: colourSettings.cells, images: colourSettings.images.length, prior: colourSettings.prior ?? colourQualitySettings().prior,
  shape: trainingRecipe('emoji').subset.shape, made: Boolean(colour),
};
// Colorization is judged by paired FD-cls on the colour card (too few benchmark images for FD).
const colourCardQuality: CardQualityRecord | undefined = JSON.parse(readFileSync(join(root, cardPath('emoji')), 'utf8')).quality;
const colourMethods: MethodSettings | undefined = colour?.provenance.settings.methods;
const solvers = read('solvers.json');
const phantom = read('phantom.json');
const settings = quality.provenance.settings;

process.stdout.write(
  JSON.stringify({
    quality: {
      provenance: trimProvenance(quality.provenance),
      complete: quality.complete,
      images: settings.images.length,
      plannedCells: settings.cells.length,
      initOpt: settings.methods.initOpt,
      // How each DeqIR method was run (solver kind, m, λ, β, tol, maxIter, start): sentences quote these.
      deq: settings.methods.deq,
      serialTs: settings.methods.serialTs,
      reference: quality.reference ?? null,
      cleanAccuracy: quality.cleanAccuracy ?? null,
      // Recomputed from the per-image cells, so the page uses the current statistics (own-chain pairing included).
      summary: summarizeQualityFile(quality),
    },
    colourPlan,
    colour: colour && {
      provenance: trimProvenance(colour.provenance),
      complete: colour.complete,
      images: colour.provenance.settings.images.length,
      plannedCells: colour.provenance.settings.cells.length,
      reference: colour.reference ?? null,
      cleanAccuracy: colour.cleanAccuracy ?? null,
      // Each DeqIR method's row name with its eta, so sentences find the rows the run made.
      deq: (colourMethods?.deq ?? []).map((d) => ({ method: deqMethodName(d, colourMethods!.deqT), eta: d.eta ?? 0 })),
      summary: summarizeQualityFile(colour),
    },
    colorizeFd: sanityTask(colourCardQuality, 'colorize')?.pairedFdCls ?? null,
    solvers: {
      provenance: trimProvenance(solvers.provenance),
      target: solvers.provenance.settings.target,
      // Images, Ts, iteration cap and each variant's solver settings, for the page's sentences.
      settings: solvers.provenance.settings,
      summary: solvers.summary,
      // max |x0 - serial x0| after each iteration, one line per run.
      runs: solvers.runs.map((r: { T: number; operator: string; image: number; solver: string; x0Error: number[] }) => ({
        T: r.T, operator: r.operator, image: r.image, solver: r.solver, x0Error: r.x0Error.map(round),
      })),
    },
    phantom: {
      provenance: trimProvenance(phantom.provenance),
      settings: phantom.provenance.settings,
      // One point per (k, tau) and gradient: cosine and relative L2 error to the exact gradient.
      points: phantom.rows.flatMap((r: PhantomRow) => {
        const m = /k=(\d+) tau=([\d.]+)/.exec(r.method);
        if (!m) return [];
        const at = { k: Number(m[1]), tau: Number(m[2]), wallMs: round(r.wallMs), nfe: r.nfeEquivalent };
        return [
          { ...at, wrt: 'dL/dy', cosine: round(r.cosiney), relL2: round(r.relL2y) },
          { ...at, wrt: 'dL/dx_T', cosine: round(r.cosinexT), relL2: round(r.relL2xT) },
        ];
      }),
    },
  }),
);
