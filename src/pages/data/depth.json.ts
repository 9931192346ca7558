// The committed depth benchmark (data/benchmarks/depth.json) for the Benchmarks and Solving pages:
// read, trimmed, never recomputed (builds stay fast and offline). Summarised from the raw units with
// the benchmark's own summarizeDepth, as the generated table of docs/results.md is. Regenerate or resume the
// run with `npm run bench -- depth`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarizeDepth, type DepthUnit } from '../../lib/bench/depthBenchmark.js';
import { TASKS, type TaskName } from '../../lib/operators/taskRegistry.js';
import { DEFAULT_SOLVER, mixingDefaults } from '../../lib/deq/solvers/solverDefaults.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const depth = JSON.parse(readFileSync(join(root, 'data/benchmarks/depth.json'), 'utf8'));
const p = depth.provenance;
const units: DepthUnit[] = depth.units;
// Curves to 0.01 dB: enough for a figure, a quarter of the file.
const dB = (v: number) => (Number.isFinite(v) ? Math.round(v * 100) / 100 : null);
type Variant = { name: string; solver: { kind: string; m?: number; lambda?: number; beta?: number }; init: string; onlyT?: number[] };
const variants: Variant[] = p.settings.variants;
// The variant run with the kit's default solver and its default settings (the pages call it the default).
const d = mixingDefaults(DEFAULT_SOLVER);
const defaultVariant = variants.find((v) => v.solver.kind === DEFAULT_SOLVER && (v.solver.m ?? d.m) === d.m && (v.solver.lambda ?? d.lambda) === d.lambda && (v.solver.beta ?? d.beta) === d.beta)?.name ?? null;

process.stdout.write(
  JSON.stringify({
    provenance: { gitCommit: p.gitCommit, gitDirty: p.gitDirty, date: p.date, command: p.command, backend: p.backend, machine: p.machine, node: p.node, files: p.files, resumedFrom: p.resumedFrom },
    complete: depth.complete,
    criteria: depth.criteria,
    defaultVariant,
    settings: { Ts: p.settings.Ts, tasks: p.settings.tasks, images: p.settings.images.length, variants: p.settings.variants, prior: p.settings.prior },
    taskLabels: Object.fromEntries((p.settings.tasks as TaskName[]).map((t) => [t, TASKS[t].label])),
    // The units the run has finished of those it plans (the page says which are still missing).
    plannedUnits: (p.settings.Ts as number[]).reduce(
      (a, T) => a + p.settings.tasks.length * variants.filter((v) => !v.onlyT || v.onlyT.includes(T)).length,
      0,
    ),
    summary: summarizeDepth(units),
    units: units.map((u) => ({
      T: u.T, task: u.task, solver: u.solver, iterations: u.iterations, wallMs: u.wallMs, serialWallMs: u.serialWallMs,
      images: u.images.map((im) => ({ image: im.image, psnr: im.psnr.map(dB), depth: im.depth })),
    })),
  }),
);
