import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../src/lib/node/cli.js';
import { baseProblem, hostileCases, type FileSpec, type HostileCase, type Outcome } from './support/hostileCases.js';

/**
 * The hostile-input suite: every case of support/hostileCases.ts runs `deqir` in-process
 * (runCli) and must end in its outcome class — a valid run (exit 0), bad input (exit 2) or a
 * runtime failure (exit 1) — with one `deqir: ...` line naming the problem, no stack trace, no
 * internal error, no tensor left behind, no temporary file left beside the output, an existing
 * output untouched on failure and replaced by a valid result on success. A few real processes
 * prove the exit codes and --debug.
 */

const SENTINEL = 'sentinel: an earlier result that a failed run must not touch\n';
const modelBytes = new Uint8Array(await readFile('models/fashion-unet-small.safetensors'));
const cases = await hostileCases(modelBytes);
let root = '';
const outcomes: { group: string; name: string; expected: Outcome; got: Outcome; ms: number }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'deqir-hostile-'));
});

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  const groups = [...new Set(outcomes.map((o) => o.group))];
  const count = (g: string, c: Outcome) => outcomes.filter((o) => o.group === g && o.got === c).length;
  const lines = groups.map(
    (g) =>
      `${g.padEnd(8)} ${String(count(g, 'ok')).padStart(5)} ${String(count(g, 'bad-input')).padStart(10)} ${String(count(g, 'runtime')).padStart(8)}`,
  );
  const slowest = [...outcomes]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3)
    .map((o) => `${o.name} ${o.ms.toFixed(0)} ms`);
  console.log(
    `hostile inputs: ${outcomes.length} cases\ngroup       ok  bad-input  runtime\n${lines.join('\n')}\nslowest: ${slowest.join('; ')}`,
  );
});

async function makeFile(path: string, spec: FileSpec, dir: string): Promise<void> {
  if (typeof spec === 'string' || spec instanceof Uint8Array) return writeFile(path, spec);
  if ('json' in spec) return writeFile(path, JSON.stringify(spec.json).replaceAll('$D/', `${dir}/`));
  if ('fifo' in spec) return void execFileSync('mkfifo', [path]);
  if ('dir' in spec) return void (await mkdir(path));
  if ('symlink' in spec) return symlink(spec.symlink, path);
  const fh = await open(path, 'w');
  await fh.truncate(spec.sparse);
  await fh.close();
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms (a hang)`)), ms))),
  ]).finally(() => clearTimeout(timer));
}

async function runCase(c: HostileCase, index: number) {
  const dir = join(root, String(index));
  await mkdir(dir);
  for (const [name, spec] of Object.entries(c.files ?? {})) await makeFile(join(dir, name), spec, dir);
  const argv = c.argv.map((a) => a.replaceAll('$D/', `${dir}/`));
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && !c.noSentinel ? argv[outIndex + 1] : undefined;
  if (out) await writeFile(out, SENTINEL);
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    writeOptions: c.failWrite && {
      write: async (fh, data) => {
        await fh.write(data.subarray(0, data.length >> 1));
        throw Object.assign(new Error(`${c.failWrite}: simulated failure`), { code: c.failWrite });
      },
    },
  };
  const tensorsBefore = tf.memory().numTensors;
  const start = performance.now();
  const code = await withTimeout(runCli(argv, io), 60_000, c.name);
  const ms = performance.now() - start;
  const got: Outcome =
    code === 0 ? 'ok'
    : code === 2 ? 'bad-input'
    : 'runtime';
  outcomes.push({ group: c.group, name: c.name, expected: c.expect, got, ms });
  const said = `exit ${code}; stderr: ${stderr.slice(0, 600)}`;
  expect(got, said).toBe(c.expect);
  expect(stderr, 'no stack trace').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect(stderr, 'no internal error').not.toMatch(/internal error|out of memory|TypeError|ReferenceError/);
  expect(tf.memory().numTensors - tensorsBefore, 'tensors left behind').toBe(0);
  if (got !== 'ok') {
    // Progress lines may come first; the error is one `deqir: ...` line (a problem file's issues follow it, indented).
    expect(stderr, said).toMatch(/(^|\n)deqir: \S/);
    if (c.message) expect(stderr).toMatch(c.message);
  }
  if (out) {
    const after = await readFile(out).catch(() => undefined);
    if (got !== 'ok') expect(after?.toString(), 'an existing output is untouched by a failed run').toBe(SENTINEL);
    else {
      expect(after?.toString()).not.toBe(SENTINEL);
      if (out.endsWith('.json')) {
        const r = JSON.parse(after!.toString());
        expect(r.format).toBe('deqir-result/1');
        expect((r.x0 as unknown[]).every((v) => typeof v === 'number' && Number.isFinite(v))).toBe(true);
      } else expect(PNG.sync.read(after!).width).toBeGreaterThan(0);
    }
  }
  if (c.argv[0] === 'solve' && outIndex < 0 && !c.argv.includes('--help') && got === 'ok')
    expect(JSON.parse(stdout).format).toBe('deqir-result/1');
  const left = (await readdir(dir)).filter((f) => /\.(tmp|probe)$/.test(f));
  expect(left, 'temporary files left beside the output').toEqual([]);
}

describe('hostile inputs to deqir solve, deqir restore and the weight loader', () => {
  it('has at least 300 cases in every outcome class', () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    for (const o of ['ok', 'bad-input', 'runtime'] as const) expect(cases.some((c) => c.expect === o)).toBe(true);
    expect(new Set(cases.map((c) => `${c.group}: ${c.name}`)).size, 'case names are unique').toBe(cases.length);
  });
  cases.forEach((c, i) => it(`${c.group}: ${c.name} → ${c.expect}`, { timeout: 90_000 }, () => runCase(c, i)));
});

describe('deqir as a real process', () => {
  const run = (args: string[]) =>
    promisify(execFile)('npx', ['tsx', 'scripts/deqir.ts', ...args], { timeout: 60_000 }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  it('exits 2 on bad input, 1 on a runtime failure, 0 on success; a stack trace only with --debug', { timeout: 180_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'deqir-proc-'));
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    await writeFile(join(dir, 'ok.json'), JSON.stringify(baseProblem()));
    await writeFile(join(dir, 'nan.json'), JSON.stringify({ ...baseProblem(), prior: { kind: 'gaussian', mean: 3e38, variance: 1e-30 } }));
    await writeFile(join(dir, 'out.json'), SENTINEL);
    const [flag, fifo, nan, nanDebug, ok] = await Promise.all([
      run(['solve', join(dir, 'ok.json'), '--outt', 'x']),
      run(['solve', join(dir, 'fifo.json'), '--backend', 'cpu']),
      run(['solve', join(dir, 'nan.json'), '--backend', 'cpu', '--out', join(dir, 'out.json')]),
      run(['solve', join(dir, 'nan.json'), '--backend', 'cpu', '--debug']),
      run(['solve', join(dir, 'ok.json'), '--backend', 'cpu', '--out', join(dir, 'ok.out.json')]),
    ]);
    expect(flag).toMatchObject({ code: 2, stderr: expect.stringMatching(/^deqir: unknown option '--outt' \(did you mean '--out'\?\)/) });
    expect(fifo).toMatchObject({ code: 2, stderr: expect.stringContaining('it is a FIFO (named pipe), not a regular file') });
    expect(nan).toMatchObject({ code: 1, stderr: expect.stringContaining("first non-finite quantity: the prior's eps") });
    for (const r of [flag, fifo, nan]) expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe(SENTINEL);
    expect(nanDebug.code).toBe(1);
    expect(nanDebug.stderr).toMatch(/NonFiniteError[^\n]*\n\s+at /);
    expect(ok.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'ok.out.json'), 'utf8')).format).toBe('deqir-result/1');
    await rm(dir, { recursive: true, force: true });
  });
});
