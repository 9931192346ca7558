// The committed benchmark results for the Benchmarks page: read, trimmed, never recomputed (builds
// stay fast and offline). Regenerate them with `npm run bench -- quality` and `npm run bench -- solvers`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (f: string) => JSON.parse(readFileSync(join(root, 'data/benchmarks', f), 'utf8'));
const round = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)) : null);
const trimProvenance = (p: Record<string, unknown>) => ({
  gitCommit: p.gitCommit, gitDirty: p.gitDirty, date: p.date, command: p.command, backend: p.backend, machine: p.machine, files: p.files,
});

const quality = read('quality.json');
const solvers = read('solvers.json');
const settings = quality.provenance.settings;

process.stdout.write(
  JSON.stringify({
    quality: {
      provenance: trimProvenance(quality.provenance),
      complete: quality.complete,
      images: settings.images.length,
      plannedCells: settings.cells.length,
      initOpt: settings.methods.initOpt,
      fdCls: quality.fdCls,
      summary: quality.summary,
    },
    solvers: {
      provenance: trimProvenance(solvers.provenance),
      target: solvers.provenance.settings.target,
      summary: solvers.summary,
      // max |x0 - serial x0| after each iteration, one line per run.
      runs: solvers.runs.map((r: { T: number; operator: string; image: number; solver: string; x0Error: number[] }) => ({
        T: r.T, operator: r.operator, image: r.image, solver: r.solver, x0Error: r.x0Error.map(round),
      })),
    },
  }),
);
