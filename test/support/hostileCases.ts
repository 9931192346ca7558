import { deflateSync, crc32 } from 'node:zlib';
import { PNG } from 'pngjs';
import { decodeWeights, encodeWeights } from '../../src/lib/models/weights/safetensors.js';
import { MAX_IMAGE_SIDE } from '../../src/lib/bounds.js';
import { rewriteHeader } from './weightFiles.js';

/**
 * The hostile-input suite's cases (test/hostileInputs.test.ts): malformed problem files, PNGs,
 * weight files, flags and paths for `deqir solve` and `deqir restore`, each with the outcome class
 * it must end in. Problems are tiny (4x4, T <= 5, Gaussian priors) so the suite runs in a minute.
 *
 * In argv, `$D/` is the case's own folder. Every case's `--out` file exists before the run with a
 * sentinel content: a failed run must leave it untouched, a successful one must replace it.
 */
export type Outcome = 'ok' | 'bad-input' | 'runtime';
export type Group = 'problem' | 'png' | 'weights' | 'flags' | 'paths' | 'faults' | 'budget';

export type FileSpec = string | Uint8Array | { json: unknown } | { fifo: true } | { dir: true } | { sparse: number } | { symlink: string };

export interface HostileCase {
  group: Group;
  name: string;
  files?: Record<string, FileSpec>;
  argv: string[];
  expect: Outcome;
  /** Must appear in stderr when the run fails. */
  message?: RegExp;
  /** Make the final write fail with this errno after writing half the bytes. */
  failWrite?: 'ENOSPC' | 'EIO';
  /** Skip the sentinel output (the case's argv names its own output). */
  noSentinel?: boolean;
}

const H = 4;
const W = 4;
const D = H * W;
const ramp = (n: number, a = 0.3) => Array.from({ length: n }, (_, i) => Number((a * Math.sin(i * 1.7)).toFixed(4)));

/** A valid tiny problem: 4x4 grey, T 3, a Gaussian prior, 2x super-resolution, Picard. */
export const baseProblem = (): Record<string, unknown> => ({
  format: 'deqir-problem/1',
  shape: [1, H, W, 1],
  T: 3,
  prior: { kind: 'gaussian', mean: ramp(D, 0.2), variance: 0.1 },
  operator: { kind: 'sr-avgpool', factor: 2 },
  xTrue: ramp(D, 0.4),
  solver: { kind: 'picard' },
});

const SOLVE = ['solve', '$D/p.json', '--backend', 'cpu', '--out', '$D/out.json'];
const RESTORE = ['restore', '--image', '0', '--task', 'sr4', '--T', '2', '--method', 'serial', '--backend', 'cpu', '--out', '$D/out.png'];

function solveCase(group: Group, name: string, problem: unknown, expect: Outcome, message?: RegExp): HostileCase {
  return { group, name, files: { 'p.json': { json: problem } }, argv: SOLVE, expect, message };
}

/** The base problem with `patch` merged in at the top level (undefined deletes a key). */
function patched(patch: Record<string, unknown>): Record<string, unknown> {
  const p = { ...baseProblem(), ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete p[k];
  return p;
}

function problemCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const bad = (name: string, patch: Record<string, unknown>, message?: RegExp) =>
    cases.push(solveCase('problem', name, patched(patch), 'bad-input', message));
  const ok = (name: string, patch: Record<string, unknown>) => cases.push(solveCase('problem', name, patched(patch), 'ok'));
  const runtime = (name: string, patch: Record<string, unknown>, message?: RegExp) =>
    cases.push(solveCase('problem', name, patched(patch), 'runtime', message));

  // Missing required fields.
  for (const k of ['format', 'shape', 'T', 'prior', 'operator', 'xTrue'])
    bad(`missing ${k}`, { [k]: undefined }, new RegExp(`problem\\.${k === 'xTrue' ? 'y' : k}`));
  bad('both y and xTrue', { y: ramp(4) }, /exactly one of "y" or "xTrue"/);

  // Every field given values of the wrong type or range.
  const junk: Record<string, unknown[]> = {
    format: [null, 'deqir-problem/2', 1, [], {}],
    layout: [null, 'NWHC', 1, [], 'nhwc'],
    shape: [null, [1, 4, 4], [1, 4, 4, 1, 1], [0, 4, 4, 1], [1, -4, 4, 1], [1, 4.5, 4, 1], ['1', 4, 4, 1], {}, 'x'],
    schedule: [
      null,
      {},
      { kind: 'cosine' },
      { kind: 'linear', N: 1 },
      { kind: 'linear', betaStart: 0 },
      { kind: 'linear', betaEnd: 1 },
      { kind: 'linear', betaStart: 0.1, betaEnd: 0.01 },
      { kind: 'linear', N: 1e9 },
    ],
    T: [null, '3', 0, 1, -1, 2.5, 101, 1000, 1e9, true],
    skip: [null, 'cubic', 1, []],
    etw: [null, -0.1, 1.5, '0', 1e39],
    nw: [null, -1, 2, 'x'],
    noise: [null, 'random', 0, []],
    seed: [null, -1, 1.5, 2 ** 32, 1e30, '', '7', []],
    prior: [null, {}, { kind: 'laplace' }, 'gaussian', [], { kind: 'gaussian' }, { kind: 'unet' }, { kind: 'unet', path: '' }],
    operator: [
      null,
      {},
      { kind: 'zoom' },
      'sr-avgpool',
      { kind: 'sr-avgpool' },
      { kind: 'sr-avgpool', factor: 'two' },
      { kind: 'sr-avgpool', factor: 3 },
      { kind: 'sr-avgpool', factor: 0 },
    ],
    xTrue: [null, 'x', {}, [], ramp(15), ramp(17), [...ramp(15), 'x'], [...ramp(15), null]],
    solver: [
      null,
      {},
      { kind: 'newton' },
      'picard',
      { kind: 'picard', tol: -1 },
      { kind: 'picard', beta: 0 },
      { kind: 'picard', beta: 1.5 },
      { kind: 'anderson', m: 0 },
    ],
    grad: [
      null,
      {},
      { loss: { kind: 'l2' } },
      { loss: { kind: 'consistency' }, wrt: 'z' },
      { loss: { kind: 'consistency' }, method: 'adjoint' },
      { loss: { kind: 'weighted-sum', weights: ramp(3) } },
    ],
  };
  const show = (v: unknown) =>
    Array.isArray(v) && v.length > 6 ? `${v.length} values ending ${JSON.stringify(v.at(-1))}` : JSON.stringify(v);
  for (const [field, values] of Object.entries(junk))
    for (const v of values) bad(`${field} = ${show(v)}`, { [field]: v }, new RegExp(`problem\\.(${field}|y)`));

  // Unknown keys at every level, with the nearest valid name.
  bad('unknown top-level key', { Tt: 3 }, /problem\.Tt: unknown key \(did you mean 'T'\?\)/);
  bad(
    'solver.maxIters',
    { solver: { kind: 'picard', maxIters: 3 } },
    /problem\.solver\.maxIters: unknown key \(did you mean 'maxIter'\?\)/,
  );
  bad('prior.varience', { prior: { kind: 'gaussian', mean: 0, varience: 0.1, variance: 0.1 } }, /did you mean 'variance'/);
  bad('operator.factr', { operator: { kind: 'sr-avgpool', factor: 2, factr: 2 } }, /did you mean 'factor'/);
  bad('schedule.NN', { schedule: { kind: 'linear', NN: 1000 } }, /did you mean 'N'/);
  bad('grad.methd', { grad: { loss: { kind: 'consistency' }, methd: 'serial' } }, /did you mean 'method'/);
  bad('grad.loss.maks', { grad: { loss: { kind: 'region', mask: new Array(D).fill(1), maks: 1 } } }, /did you mean 'mask'/);
  bad(
    'mixture component weigth',
    { prior: { kind: 'gaussian-mixture', components: [{ weight: 1, weigth: 1, mean: ramp(D), variance: 0.1 }] } },
    /did you mean 'weight'/,
  );
  bad('__proto__ key', { ['__proto__']: { T: 5 } } as Record<string, unknown>);
  bad('constructor key', { constructor: 1 });

  // Sizes, counts and parameters beyond the bounds (refused before anything is allocated).
  bad('batch 1e9', { shape: [1e9, 4, 4, 1] }, /batch N must be an integer from 1 to 64/);
  bad('batch 65', { shape: [65, 4, 4, 1] }, /batch N/);
  bad(`side ${MAX_IMAGE_SIDE + 1}`, { shape: [1, MAX_IMAGE_SIDE + 1, 4, 1] }, /a side must be an integer/);
  bad('4096x4096 super-resolution', { shape: [1, 4096, 4096, 1] }, /a side must be an integer/);
  bad('20000x20000 image', { shape: [1, 20000, 20000, 1], xTrue: [] });
  bad('5 channels', { shape: [1, 4, 4, 5] }, /at most 4 channels/);
  bad('NCHW with 4 as channels is fine but 8 is not', { layout: 'NCHW', shape: [1, 8, 4, 4] }, /at most 4 channels/);
  bad('maxIter 1e9, tol 0', { solver: { kind: 'anderson', maxIter: 1e9, tol: 0 } }, /maxIter must be an integer from 1 to 400/);
  bad('maxIter 401', { solver: { kind: 'picard', maxIter: 401 } }, /maxIter/);
  bad('maxIter 0', { solver: { kind: 'picard', maxIter: 0 } }, /maxIter/);
  bad('tol 1', { solver: { kind: 'picard', tol: 1 } }, /problem\.solver\.tol/);
  bad('Anderson m 1000', { solver: { kind: 'anderson', m: 1000 } }, /problem\.solver\.m/);
  bad('per-row Anderson lambda 0', { solver: { kind: 'anderson-per-row', lambda: 0 } }, /problem\.solver\.lambda/);
  bad('chunkSize 0', { solver: { kind: 'picard', chunkSize: 0 } }, /chunkSize/);
  bad(
    'phantomSteps 1e6',
    { grad: { loss: { kind: 'consistency' }, method: 'phantom', phantomSteps: 1e6 } },
    /phantomSteps must be an integer from 1 to 100/,
  );
  bad('phantomTau 2', { grad: { loss: { kind: 'consistency' }, method: 'phantom', phantomTau: 2 } }, /phantomTau/);
  bad('blur sigma 1e6', { operator: { kind: 'deblur-gaussian', sigma: 1e6 } }, /problem\.operator\.sigma/);
  bad('blur sigma 0', { operator: { kind: 'deblur-gaussian', sigma: 0 } }, /problem\.operator\.sigma/);
  bad('blur size 1e6', { operator: { kind: 'deblur-uniform', size: 1e6 } }, /problem\.operator\.size/);
  bad('blur size even', { operator: { kind: 'deblur-uniform', size: 4 } }, /odd/);
  bad('anisotropic sigma 1e9', { operator: { kind: 'deblur-anisotropic', sigmaRows: 1e9 } }, /sigmaRows/);
  bad('CS block 4096', { operator: { kind: 'cs-walsh-hadamard', block: 4096 } }, /problem\.operator\.block/);
  bad('CS block 3', { operator: { kind: 'cs-walsh-hadamard', block: 3 } }, /power of two/);
  bad('CS block 8 on 4x4', { operator: { kind: 'cs-walsh-hadamard', block: 8 } }, /does not divide/);
  bad('CS ratio 0', { operator: { kind: 'cs-walsh-hadamard', ratio: 0 } }, /ratio/);
  bad('CS ratio 2', { operator: { kind: 'cs-walsh-hadamard', ratio: 2 } }, /ratio/);
  bad('bicubic factor 1e9', { operator: { kind: 'sr-bicubic', factor: 1e9 } }, /factor/);
  bad('inpainting fraction 2', { operator: { kind: 'inpainting', pattern: 'box', fraction: 2 } }, /fraction/);
  bad('inpainting fraction 0', { operator: { kind: 'inpainting', pattern: 'box', fraction: 0 } }, /fraction/);
  bad('inpainting p -1', { operator: { kind: 'inpainting', pattern: 'random', p: -1 } }, /problem\.operator\.p/);
  bad('inpainting seed 2^32', { operator: { kind: 'inpainting', pattern: 'random', seed: 2 ** 32 } }, /seed/);
  bad('inpainting pattern star', { operator: { kind: 'inpainting', pattern: 'star' } }, /pattern/);
  bad('separable rows ragged', { operator: { kind: 'separable', rows: [[1, 0], [1]], cols: [[1, 0, 0, 0]] } }, /same length/);
  bad('separable wrong width', { operator: { kind: 'separable', rows: [[1, 0, 0]], cols: [[1, 0, 0, 0]] } });
  bad('matrix with 2000 rows', { operator: { kind: 'matrix', A: Array.from({ length: 2000 }, () => [0]) } }, /problem\.operator\.A/);
  bad('matrix with wrong columns', { operator: { kind: 'matrix', A: [[1, 2, 3]] } }, /columns/);
  bad('matrix empty', { operator: { kind: 'matrix', A: [] } });
  bad('sigmaY -1', { operator: { kind: 'denoising', sigmaY: -1 } }, /sigmaY/);
  bad('mixture with 0 components', { prior: { kind: 'gaussian-mixture', components: [] } }, /components/);
  bad('mixture with 65 components', {
    prior: { kind: 'gaussian-mixture', components: Array.from({ length: 65 }, () => ({ weight: 1, mean: ramp(D), variance: 0.1 })) },
  });
  bad('mixture variance 0', { prior: { kind: 'gaussian-mixture', components: [{ weight: 1, mean: ramp(D), variance: 0 }] } }, /variance/);
  bad('mixture weight 0', { prior: { kind: 'gaussian-mixture', components: [{ weight: 0, mean: ramp(D), variance: 0.1 }] } }, /weight/);
  bad('mixture mean too short', { prior: { kind: 'gaussian-mixture', components: [{ weight: 1, mean: ramp(3), variance: 0.1 }] } });
  bad('gaussian variance 0', { prior: { kind: 'gaussian', mean: 0, variance: 0 } }, /variance/);
  bad(
    'gaussian variance per pixel with a 0',
    { prior: { kind: 'gaussian', mean: 0, variance: [...new Array(15).fill(0.1), 0] } },
    /variance/,
  );
  bad('gaussian mean wrong length', { prior: { kind: 'gaussian', mean: ramp(3), variance: 0.1 } }, /problem\.prior\.mean/);
  bad('xT wrong length', { xT: ramp(3) }, /problem\.xT/);
  bad('z wrong length', { nw: 0.5, z: ramp(3) }, /problem\.z/);
  bad('per-step z wrong length', { nw: 0.5, noise: 'per-step', z: ramp(D) }, /problem\.z/);
  bad('y wrong length', { xTrue: undefined, y: ramp(3) }, /problem\.y/);
  bad(
    'xT of 1.1 million values for a 4x4 problem (refused before the schema walks it)',
    { xT: new Array(1_100_000).fill(0) },
    /problem\.xT: has 1100000 values, more than any field/,
  );
  bad(
    'a mask row of 2 million values',
    { operator: { kind: 'inpainting', mask: [new Array(2_000_000).fill(1)] } },
    /problem\.operator\.mask\.0: has 2000000 values/,
  );
  bad('region loss weights wrong length', { grad: { loss: { kind: 'weighted-sum', weights: ramp(3) } } });

  // Numbers beyond float32 range are refused at parse time.
  for (const [name, patch] of Object.entries({
    'prior mean 1e39': { prior: { kind: 'gaussian', mean: 1e39, variance: 0.1 } },
    'prior variance 1e39': { prior: { kind: 'gaussian', mean: 0, variance: 1e39 } },
    'prior mean array with 1e39': { prior: { kind: 'gaussian', mean: [...ramp(15), 1e39], variance: 0.1 } },
    'xTrue with -1e39': { xTrue: [...ramp(15), -1e39] },
    'y with 1e39': { xTrue: undefined, y: [1e39, 0, 0, 0] },
    'xT with 1e300': { xT: [...ramp(15), 1e300] },
    'z with 1e39': { nw: 0.5, z: [...ramp(15), 1e39] },
    'sigmaY 1e39': { operator: { kind: 'denoising', sigmaY: 1e39 } },
    'matrix entry 1e39': { operator: { kind: 'matrix', A: [[1e39, ...new Array(D - 1).fill(0)]] } },
    'svdThreshold 1e39': { operator: { kind: 'sr-bicubic', factor: 2, svdThreshold: 1e39 } },
    'grad weights 1e39': { grad: { loss: { kind: 'weighted-sum', weights: [...ramp(15), 1e39] } } },
    'mixture weight 1e39': { prior: { kind: 'gaussian-mixture', components: [{ weight: 1e39, mean: ramp(D), variance: 0.1 }] } },
  }))
    bad(name, patch, /float32 range/);

  // Seeds: integers in [0, 2^32).
  for (const s of [-1, 0.5, 2 ** 32, 1e30, '', '0', null]) bad(`seed ${JSON.stringify(s)}`, { seed: s }, /problem\.seed/);
  ok('seed 2^32 - 1', { seed: 2 ** 32 - 1 });
  ok('seed 0', { seed: 0 });

  // Masks: 0/1 values, H x W.
  const mask = (v: number[]) => ({ operator: { kind: 'inpainting', mask: v } });
  bad('mask with 0.5', mask([...new Array(15).fill(1), 0.5]), /mask values must be 0 or 1/);
  bad('mask with 2', mask([...new Array(15).fill(1), 2]), /mask values must be 0 or 1/);
  bad('mask with -1', mask([...new Array(15).fill(0), -1]), /mask values must be 0 or 1/);
  bad('mask of 15 values', mask(new Array(15).fill(1)), /mask has 15 values/);
  bad(
    'mask 8x2 for 4x4',
    { operator: { kind: 'inpainting', mask: Array.from({ length: 8 }, () => [1, 0]) } },
    /the mask has 8 rows; the image needs 4 rows of 4/,
  );
  bad(
    'mask 2x8 for 4x4',
    { operator: { kind: 'inpainting', mask: Array.from({ length: 2 }, () => new Array(8).fill(1)) } },
    /the mask has 2 rows/,
  );
  bad(
    'mask ragged rows',
    {
      operator: {
        kind: 'inpainting',
        mask: [
          [1, 1, 1, 1],
          [1, 1, 1],
          [1, 1, 1, 1],
          [1, 1, 1, 1, 1],
        ],
      },
    },
    /mask row 1 has 3 values/,
  );
  bad('region mask with 0.5', { grad: { loss: { kind: 'region', mask: [...new Array(15).fill(1), 0.5] } } }, /mask values must be 0 or 1/);
  bad('region mask 8x2', { grad: { loss: { kind: 'region', mask: Array.from({ length: 8 }, () => [1, 0]) } } }, /8 rows/);
  ok('mask 4x4 rows', { operator: { kind: 'inpainting', mask: Array.from({ length: 4 }, (_, i) => [1, i % 2, 1, 0]) } });
  ok('mask all missing', mask(new Array(D).fill(0)));

  // Valid problems across operators, solvers, layouts, priors and gradients.
  const ops: Record<string, unknown>[] = [
    { kind: 'sr-avgpool', factor: 4 },
    { kind: 'sr-bicubic', factor: 2 },
    { kind: 'deblur-gaussian', sigma: 1 },
    { kind: 'deblur-uniform', size: 3 },
    { kind: 'deblur-anisotropic' },
    { kind: 'inpainting', pattern: 'box' },
    { kind: 'inpainting', pattern: 'random', p: 0.3, seed: 5 },
    { kind: 'inpainting', pattern: 'lines', spacing: 2 },
    { kind: 'cs-walsh-hadamard', ratio: 0.5, block: 2 },
    { kind: 'denoising', sigmaY: 0.1 },
    {
      kind: 'separable',
      rows: [
        [0.5, 0.5, 0, 0],
        [0, 0, 0.5, 0.5],
      ],
      cols: [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
    },
    { kind: 'matrix', A: [ramp(D, 1), ramp(D, -0.5).reverse()] },
  ];
  for (const op of ops) ok(`operator ${JSON.stringify(op).slice(0, 50)}`, { operator: op });
  ok('colorization', {
    shape: [1, 4, 4, 3],
    operator: { kind: 'colorization' },
    prior: { kind: 'gaussian', mean: 0, variance: 0.2 },
    xTrue: ramp(3 * D),
  });
  ok('colorization NCHW', {
    layout: 'NCHW',
    shape: [1, 3, 4, 4],
    operator: { kind: 'colorization' },
    prior: { kind: 'gaussian', mean: 0, variance: 0.2 },
    xTrue: ramp(3 * D),
  });
  bad(
    'colorization of grey images',
    { operator: { kind: 'colorization' } },
    /problem\.operator\.kind: colorization needs colour images \(3 channels\); shape \[1, 4, 4, 1\] in NHWC has 1/,
  );
  bad(
    'colorization NCHW read as NHWC',
    { layout: 'NCHW', shape: [1, 4, 4, 3], operator: { kind: 'colorization' }, xTrue: ramp(3 * D) },
    /colorization needs colour images/,
  );
  for (const kind of ['serial', 'picard', 'anderson', 'anderson-per-row']) ok(`solver ${kind}`, { solver: { kind } });
  ok('anderson with tol 0 and maxIter 400 (bounded)', { solver: { kind: 'anderson', tol: 0, maxIter: 400 } });
  ok('picard chunked', { solver: { kind: 'picard', chunkSize: 1 } });
  ok('NCHW layout', { layout: 'NCHW', shape: [1, 1, 4, 4] });
  ok('batch of 3', { shape: [3, 4, 4, 1], xTrue: ramp(3 * D) });
  ok('y given', { xTrue: undefined, y: ramp(4) });
  ok('per-step noise', { nw: 0.5, noise: 'per-step', T: 4 });
  ok('fixed noise, etw', { nw: 0.3, etw: 0.2 });
  ok('quad skip', { skip: 'quad', T: 5 });
  ok('T 2', { T: 2 });
  ok('mixture prior', {
    prior: {
      kind: 'gaussian-mixture',
      components: [
        { weight: 1, mean: ramp(D, 0.2), variance: 0.1 },
        { weight: 2, mean: ramp(D, -0.2), variance: [...new Array(D).fill(0.05)] },
      ],
    },
  });
  ok('tiny float values', { xTrue: ramp(D).map((v) => v * 1e-40) });
  for (const method of ['implicit', 'phantom', 'serial'])
    ok(`grad ${method}`, { grad: { loss: { kind: 'consistency' }, method, phantomSteps: 2 } });
  ok('grad region loss', { grad: { loss: { kind: 'region', mask: new Array(D).fill(0).map((_, i) => i % 2) }, wrt: 'xT' } });

  // Values inside float32 range whose arithmetic overflows: a runtime failure naming the quantity,
  // never a NaN result. (Huge but finite results stay valid: mean 3e38 gives a finite serial chain.)
  const nanPrior = { kind: 'gaussian', mean: 3e38, variance: 1e-30 };
  for (const kind of ['serial', 'picard', 'anderson', 'anderson-per-row'])
    runtime(
      `prior eps overflows (${kind})`,
      { solver: { kind }, prior: nanPrior },
      /first non-finite quantity: the prior's eps at step 3 of 3 \(t = 0\)/,
    );
  runtime('prior eps overflows (gradients)', { prior: nanPrior, grad: { loss: { kind: 'consistency' } } }, /the prior's eps/);
  runtime(
    'mixture prior eps overflows',
    { prior: { kind: 'gaussian-mixture', components: [{ weight: 1, mean: new Array(D).fill(3e38), variance: 1e-30 }] } },
    /the prior's eps at step 1/,
  );
  runtime(
    'xTrue 3e38 through a blur',
    { operator: { kind: 'deblur-uniform', size: 3 }, xTrue: new Array(D).fill(3e38) },
    /first non-finite quantity: the next state/,
  );
  runtime(
    'prior mean 3e38: the serial chain is finite, the joint map overflows (picard)',
    { prior: { kind: 'gaussian', mean: 3e38, variance: 0.1 } },
    /serial chain stays finite but its states reach/,
  );
  runtime(
    'prior mean 3e38 (anderson)',
    { solver: { kind: 'anderson' }, prior: { kind: 'gaussian', mean: 3e38, variance: 0.1 } },
    /serial chain stays finite/,
  );
  runtime('xT 3e38 (picard)', { xT: new Array(D).fill(3e38) }, /serial chain stays finite/);
  ok('prior mean 3e38 (serial: huge but finite)', { solver: { kind: 'serial' }, prior: { kind: 'gaussian', mean: 3e38, variance: 0.1 } });
  ok('xT 3e38 (serial: huge but finite)', { solver: { kind: 'serial' }, xT: new Array(D).fill(3e38) });
  ok('prior variance 3e38', { prior: { kind: 'gaussian', mean: 0, variance: 3e38 } });
  return cases;
}

/** Problem files that are not problems at all: empty, not JSON, wrong JSON types, deep nesting, bad UTF-8. */
function rawFileCases(): HostileCase[] {
  const raw: Record<string, string | Uint8Array> = {
    'empty file': '',
    whitespace: '   \n',
    'truncated JSON': JSON.stringify(baseProblem()).slice(0, 60),
    'JSON null': 'null',
    'JSON array': '[]',
    'JSON number': '42',
    'JSON string': '"deqir-problem/1"',
    'deeply nested arrays': '['.repeat(200_000) + ']'.repeat(200_000),
    'deeply nested objects': '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000),
    'trailing garbage': JSON.stringify(baseProblem()) + ' garbage',
    'NaN literal': JSON.stringify(baseProblem()).replace('"T":3', '"T":NaN'),
    'Infinity literal': JSON.stringify(baseProblem()).replace('"variance":0.1', '"variance":Infinity'),
    'overflowing literal 1e400': JSON.stringify(baseProblem()).replace('"variance":0.1', '"variance":1e400'),
    'invalid UTF-8': new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    'binary garbage': Uint8Array.from({ length: 4096 }, (_, i) => (i * 131) % 256),
    'a PNG as a problem': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  };
  const cases = Object.entries(raw).map(([name, content]): HostileCase => ({
    group: 'problem',
    name,
    files: { 'p.json': content },
    argv: SOLVE,
    expect: 'bad-input',
  }));
  cases.push({
    group: 'problem',
    name: 'UTF-8 BOM then JSON (the BOM is skipped)',
    files: { 'p.json': '\ufeff' + JSON.stringify(baseProblem()) },
    argv: SOLVE,
    expect: 'ok',
  });
  cases.push({
    group: 'problem',
    name: 'duplicate keys (last wins, still valid)',
    files: { 'p.json': JSON.stringify(baseProblem()).replace('"T":3', '"T":99,"T":3') },
    argv: SOLVE,
    expect: 'ok',
  });
  return cases;
}

/** Input and output paths that are not regular files, do not exist, or are too big. */
function pathCases(): HostileCase[] {
  const p = { json: baseProblem() };
  const c = (
    name: string,
    files: Record<string, FileSpec>,
    argv: string[],
    expect: Outcome,
    message?: RegExp,
    noSentinel = false,
  ): HostileCase => ({ group: 'paths', name, files, argv, expect, message, noSentinel });
  const solveWith = (input: string, out = '$D/out.json') => ['solve', input, '--backend', 'cpu', '--out', out];
  return [
    c('problem is a FIFO', { 'p.json': { fifo: true } }, SOLVE, 'bad-input', /FIFO/),
    c('problem is /dev/zero', {}, solveWith('/dev/zero'), 'bad-input', /not a regular file/),
    c('problem is /dev/null', {}, solveWith('/dev/null'), 'bad-input', /not a regular file/),
    c('problem is /dev/urandom', {}, solveWith('/dev/urandom'), 'bad-input', /not a regular file/),
    c('problem is a directory', { 'p.json': { dir: true } }, SOLVE, 'bad-input', /directory/),
    c('problem is missing', {}, SOLVE, 'bad-input', /ENOENT/),
    c('problem path is empty', {}, solveWith(''), 'bad-input', /empty/),
    c('problem is 100 MB (sparse)', { 'p.json': { sparse: 100 * 2 ** 20 } }, SOLVE, 'bad-input', /over the limit/),
    c('problem is a symlink to a FIFO', { fifo: { fifo: true }, 'p.json': { symlink: 'fifo' } }, SOLVE, 'bad-input', /FIFO/),
    c('problem is a dangling symlink', { 'p.json': { symlink: 'nowhere' } }, SOLVE, 'bad-input', /ENOENT/),
    c('problem path through a file', { 'p.json': p }, solveWith('$D/p.json/inner.json'), 'bad-input', /ENOTDIR/),
    c('output path is empty', { 'p.json': p }, solveWith('$D/p.json', ''), 'bad-input', /path is empty/, true),
    c(
      'output is a directory',
      { 'p.json': p, outdir: { dir: true } },
      solveWith('$D/p.json', '$D/outdir'),
      'bad-input',
      /is a directory/,
      true,
    ),
    c('output folder is missing', { 'p.json': p }, solveWith('$D/p.json', '$D/missing/out.json'), 'bad-input', /does not exist/, true),
    c('output folder is a file', { 'p.json': p }, solveWith('$D/p.json', '$D/p.json/out.json'), 'bad-input', /is not a folder/, true),
    c(
      'output is a FIFO',
      { 'p.json': p, 'out.fifo': { fifo: true } },
      solveWith('$D/p.json', '$D/out.fifo'),
      'bad-input',
      /not a regular file/,
      true,
    ),
    c('output is /dev/full', { 'p.json': p }, solveWith('$D/p.json', '/dev/full'), 'bad-input', /not a regular file/, true),
    c('output in /proc', { 'p.json': p }, solveWith('$D/p.json', '/proc/deqir-out.json'), 'bad-input', /no file can be created/, true),
    c('output replaces an existing file', { 'p.json': p }, SOLVE, 'ok'),
    c('output to stdout (no --out)', { 'p.json': p }, ['solve', '$D/p.json', '--backend', 'cpu'], 'ok', undefined, true),
    c(
      'restore output is a directory',
      { outdir: { dir: true } },
      [...RESTORE.slice(0, -1), '$D/outdir'],
      'bad-input',
      /is a directory/,
      true,
    ),
    c('restore output folder is missing', {}, [...RESTORE.slice(0, -1), '$D/missing/out.png'], 'bad-input', /does not exist/, true),
    c('restore output is empty', {}, [...RESTORE.slice(0, -1), ''], 'bad-input', /path is empty/, true),
  ];
}

/** Flags of both commands: unknown, value-less, malformed, out of range. */
function flagCases(): HostileCase[] {
  const p = { 'p.json': { json: baseProblem() } };
  const cases: HostileCase[] = [];
  const solve = (name: string, extra: string[], expect: Outcome, message?: RegExp) =>
    cases.push({ group: 'flags', name: `solve ${name}`, files: p, argv: [...SOLVE, ...extra], expect, message });
  const restore = (name: string, argv: string[], expect: Outcome, message?: RegExp) =>
    cases.push({ group: 'flags', name: `restore ${name}`, argv, expect, message });
  const withFlag = (flag: string, value?: string) => {
    const a = [...RESTORE];
    const i = a.indexOf(flag);
    if (i >= 0) a.splice(i, value === undefined ? 2 : 2, ...(value === undefined ? [] : [flag, value]));
    else if (value !== undefined) a.push(flag, value);
    return a;
  };

  solve('unknown flag', ['--outt', 'x'], 'bad-input', /unknown option '--outt' \(did you mean '--out'\?\)/);
  solve('short flag', ['-o', 'x'], 'bad-input', /unknown option '-o'/);
  solve('value-less --backend', ['--backend'], 'bad-input', /--backend needs a value/);
  solve('--backend gpu', ['--backend', 'gpu'], 'bad-input', /--backend must be wasm or cpu/);
  solve('--debug with a value', ['--debug=1'], 'bad-input', /takes no value/);
  solve('two inputs', ['$D/p.json'], 'bad-input', /exactly one input file/);
  solve('--memory-budget-mb abc', ['--memory-budget-mb', 'abc'], 'bad-input', /must be a number/);
  solve('--memory-budget-mb 0', ['--memory-budget-mb', '0'], 'bad-input', /memory budget must be from/);
  solve('--memory-budget-mb 1e12', ['--memory-budget-mb', '1e12'], 'bad-input', /memory budget must be from/);
  solve('--memory-budget-mb -5', ['--memory-budget-mb', '-5'], 'bad-input', /memory budget/);
  solve('--debug (a valid run)', ['--debug'], 'ok');
  solve('--memory-budget-mb 64 (enough)', ['--memory-budget-mb', '64'], 'ok');
  cases.push({
    group: 'flags',
    name: 'solve without input',
    argv: ['solve', '--backend', 'cpu'],
    expect: 'bad-input',
    message: /exactly one input file/,
  });
  cases.push({
    group: 'flags',
    name: 'unknown command',
    argv: ['solv', 'x'],
    expect: 'bad-input',
    message: /unknown command 'solv' \(did you mean 'solve'\?\)/,
  });
  cases.push({ group: 'flags', name: 'no command (usage)', argv: [], expect: 'ok', noSentinel: true });
  cases.push({ group: 'flags', name: '--help', argv: ['--help'], expect: 'ok', noSentinel: true });
  cases.push({ group: 'flags', name: 'solve --help', argv: ['solve', '--help'], expect: 'ok', noSentinel: true });

  restore(
    'needs --task',
    RESTORE.filter((_, i) => i !== 3 && i !== 4),
    'bad-input',
    /restore needs --task/,
  );
  restore('needs --out', RESTORE.slice(0, -2), 'bad-input', /restore needs --out/);
  for (const t of ['-1', '0', '1', '101', '1000', '1.5', 'abc', '', '1e3', '0x10', 'Infinity'])
    restore(`--T ${JSON.stringify(t)}`, withFlag('--T', t), 'bad-input', /--T must be/);
  restore('--T at the end', [...withFlag('--T'), '--T'], 'bad-input', /--T needs a value/);
  restore(
    '--T followed by a flag',
    [...withFlag('--T').slice(0, 0), 'restore', '--T', '--task', 'sr4', '--out', '$D/out.png'],
    'bad-input',
    /needs a value/,
  );
  for (const s of ['-1', '4294967296', '1e30', '', '1.5', 'abc', 'NaN'])
    restore(`--seed ${JSON.stringify(s)}`, withFlag('--seed', s), 'bad-input', /--seed must be/);
  restore('--seed 4294967295', withFlag('--seed', '4294967295'), 'ok');
  for (const s of ['0', '-1', '1', 'abc', '1e-9']) restore(`--tol ${s}`, withFlag('--tol', s), 'bad-input', /--tol must be/);
  for (const s of ['0', '-3', '1e9', '401', '2.5'])
    restore(`--max-iter ${s}`, withFlag('--max-iter', s), 'bad-input', /--max-iter must be/);
  for (const s of ['foo', '', 'DEQIR']) restore(`--method ${JSON.stringify(s)}`, withFlag('--method', s), 'bad-input', /--method must be/);
  for (const s of ['newton', 'andersen', ''])
    restore(`--solver ${JSON.stringify(s)}`, withFlag('--solver', s), 'bad-input', /--solver must be/);
  for (const s of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'sr5', 'SR4'])
    restore(`--task ${JSON.stringify(s)}`, withFlag('--task', s), 'bad-input', /unknown task/);
  for (const s of ['-1', '1e9', '1.5', 'abc', ''])
    restore(`--image ${JSON.stringify(s)}`, withFlag('--image', s), 'bad-input', /--image must be/);
  restore('both a PNG and --image', [...RESTORE, '$D/in.png'], 'bad-input', /either IMAGE.png or --image/);
  restore(
    'neither PNG nor --image',
    RESTORE.filter((_, i) => i !== 1 && i !== 2),
    'bad-input',
    /either IMAGE.png or --image/,
  );
  restore('--backend webgl', withFlag('--backend', 'webgl'), 'bad-input', /--backend/);
  restore(
    '--memory-budget-mb 16 (too little for the UNet)',
    [...withFlag('--method', 'deqir'), '--T', '100', '--memory-budget-mb', '16'],
    'bad-input',
    /over the memory budget of 16 MiB.*raise --memory-budget-mb/,
  );
  restore('--unknown', [...RESTORE, '--unknown'], 'bad-input', /unknown option '--unknown'/);
  restore('--seeed 1', [...RESTORE, '--seeed', '1'], 'bad-input', /did you mean '--seed'/);
  restore('--T=-1 (inline)', [...withFlag('--T'), '--T=-1'], 'bad-input', /--T must be an integer from 2 to 100, got -1/);
  restore('valid serial T 2', RESTORE, 'ok');
  // The colour task and the named colour prior: colorize needs a colour prior, gaussian:NAME a shipped subset.
  restore(
    '--task colorize with the grey UNet',
    withFlag('--task', 'colorize'),
    'bad-input',
    /task 'colorize' needs a prior on 3-channel \(colour\) images; this prior works on \[28, 28, 1\]/,
  );
  restore(
    '--task colorize with gaussian:fashion',
    [...withFlag('--task', 'colorize'), '--model', 'gaussian:fashion'],
    'bad-input',
    /task 'colorize' needs a prior on 3-channel/,
  );
  for (const m of ['gaussian:', 'gaussian:mnist', 'gaussian:__proto__', 'gaussian:Emoji'])
    restore(`--model ${m}`, [...RESTORE, '--model', m], 'bad-input', /unknown prior '.*' \(available: gaussian:fashion, gaussian:emoji/);
  restore('valid serial colorize with gaussian:emoji', [...withFlag('--task', 'colorize'), '--model', 'gaussian:emoji'], 'ok');
  restore('valid serial sr4 with gaussian:emoji (colour SR)', [...RESTORE, '--model', 'gaussian:emoji'], 'ok');
  restore(
    'valid deqir T 2 anderson',
    withFlag('--method', 'deqir').concat(['--solver', 'anderson', '--tol', '1e-3', '--max-iter', '4']),
    'ok',
  );
  return cases;
}

/** PNGs: headers that lie, huge sides, truncations, bombs, wrong sizes, and two valid ones. */
function pngCases(): HostileCase[] {
  const restoreWith = (
    name: string,
    png: FileSpec | undefined,
    expect: Outcome,
    message?: RegExp,
    path = '$D/in.png',
    extra: string[] = [],
  ): HostileCase => ({
    group: 'png',
    name,
    files: png === undefined ? {} : { 'in.png': png },
    argv: ['restore', path, '--task', 'sr4', '--T', '2', '--method', 'serial', '--backend', 'cpu', '--out', '$D/out.png', ...extra],
    expect,
    message,
  });
  // The colour prior (32x32 RGB): a grey or colour PNG of its size is read as RGB; another size is refused.
  const colorize = ['--task', 'colorize', '--model', 'gaussian:emoji'];
  const encode = (w: number, h: number, opts: Record<string, unknown> = {}) => {
    const png = new PNG({ width: w, height: h, ...opts });
    for (let i = 0; i < w * h; i++) png.data.set([(i * 7) % 256, (i * 7) % 256, (i * 7) % 256, 255], 4 * i);
    return new Uint8Array(PNG.sync.write(png, opts));
  };
  const valid = encode(28, 28);
  return [
    restoreWith('20000x20000 header', craftedPng(20000, 20000), 'bad-input', /20000x20000; images may be at most 512/),
    restoreWith('4294967295 wide header', craftedPng(2 ** 32 - 1, 1), 'bad-input', /at most 512/),
    restoreWith('0x0 header', craftedPng(0, 0), 'bad-input', /header says 0x0/),
    restoreWith('600x600 (over the side limit)', craftedPng(600, 600), 'bad-input', /at most 512/),
    restoreWith('40x30 (not the model size)', encode(40, 30), 'bad-input', /is 40x30; the model restores 28x28/),
    restoreWith(
      '28x28 for the 32x32 colour prior',
      encode(28, 28),
      'bad-input',
      /is 28x28; the model restores 32x32 colour images/,
      '$D/in.png',
      colorize,
    ),
    restoreWith('valid 32x32 grey for colorize', encode(32, 32), 'ok', undefined, '$D/in.png', colorize),
    restoreWith(
      'valid 32x32 RGBA 16-bit for colorize',
      encode(32, 32, { bitDepth: 16, colorType: 6 }),
      'ok',
      undefined,
      '$D/in.png',
      colorize,
    ),
    restoreWith('1x1', encode(1, 1), 'bad-input', /is 1x1/),
    restoreWith('28x28 header, truncated data', valid.subarray(0, 60), 'bad-input', /not a readable PNG/),
    restoreWith('28x28 header, no IEND', valid.subarray(0, valid.length - 12), 'bad-input'),
    restoreWith('bad CRC', flipByte(valid, 30), 'bad-input', /not a readable PNG/),
    restoreWith('garbage after signature', concat(valid.subarray(0, 8), new Uint8Array(100).fill(7)), 'bad-input', /not a readable PNG/),
    restoreWith('not a PNG (text)', 'not a png', 'bad-input', /not a readable PNG/),
    restoreWith('empty file', '', 'bad-input', /not a readable PNG/),
    restoreWith('signature only', valid.subarray(0, 8), 'bad-input', /not a readable PNG/),
    restoreWith('interlaced inflate bomb', interlacedBomb(), 'bad-input', /not a readable PNG/),
    restoreWith('PNG is a FIFO', { fifo: true }, 'bad-input', /FIFO/),
    restoreWith('PNG is a directory', { dir: true }, 'bad-input', /directory/),
    restoreWith('PNG is missing', undefined, 'bad-input', /ENOENT/),
    restoreWith('PNG is 64 MB (sparse)', { sparse: 64 * 2 ** 20 }, 'bad-input', /over the limit/),
    restoreWith('PNG is /dev/zero', undefined, 'bad-input', /not a regular file/, '/dev/zero'),
    restoreWith('PNG is /dev/random', undefined, 'bad-input', /not a regular file/, '/dev/random'),
    restoreWith('valid 28x28 grey', valid, 'ok'),
    restoreWith('valid 28x28 16-bit with alpha', encode(28, 28, { bitDepth: 16, colorType: 6 }), 'ok'),
  ];
}

/**
 * Weight files derived from the shipped model: broken configs, headers, offsets, hashes, dtypes,
 * non-finite weights; each must be refused at load, through restore --model and a problem's unet prior.
 */
async function weightCases(modelBytes: Uint8Array): Promise<HostileCase[]> {
  const { tensors, metadata } = await decodeWeights(modelBytes);
  const config = JSON.parse(metadata.config) as Record<string, unknown>;
  const reencode = (
    edit: (t: Map<string, { name: string; shape: readonly number[]; data: Float32Array }>, meta: Record<string, string>) => void,
  ) => {
    const copy = new Map([...tensors].map(([k, v]) => [k, { ...v, data: v.data.slice() }]));
    const meta = { ...metadata };
    edit(copy, meta);
    return encodeWeights([...copy.values()], meta);
  };
  const withConfig = (c: unknown) => reencode((_, m) => (m.config = typeof c === 'string' ? c : JSON.stringify(c)));
  const header = (edit: (h: Record<string, any>) => void) => rewriteHeader(modelBytes, edit);
  const first = [...tensors.keys()][0];
  const files: Record<string, Uint8Array | Promise<Uint8Array> | FileSpec> = {
    'config null': withConfig(null),
    'config {}': withConfig({}),
    'config missing channels': withConfig({ ...config, channels: undefined }),
    'config channels []': withConfig({ ...config, channels: [] }),
    'config channels [-1]': withConfig({ ...config, channels: [-1, 64, 64] }),
    'config channels "x"': withConfig({ ...config, channels: 'x' }),
    'config channels 1e9': withConfig({ ...config, channels: [1e9, 64, 64] }),
    'config imageShape [28, 28]': withConfig({ ...config, imageShape: [28, 28] }),
    'config imageShape 1e6 sides': withConfig({ ...config, imageShape: [1e6, 1e6, 1] }),
    'config groups 0': withConfig({ ...config, groups: 0 }),
    'config groups 7': withConfig({ ...config, groups: 7 }),
    'config timeEmbedDim odd': withConfig({ ...config, timeEmbedDim: 31 }),
    'config dropout 1': withConfig({ ...config, dropout: 1 }),
    'config dropout "0"': withConfig({ ...config, dropout: '0' }),
    'config attention level 9': withConfig({ ...config, attentionLevels: [9] }),
    'config resBlocksPerLevel 1e9': withConfig({ ...config, resBlocksPerLevel: 1e9 }),
    'config unknown field': withConfig({ ...config, chanels: [32] }),
    'config not JSON': withConfig('{not json'),
    'config a number': withConfig('42'),
    'kind is not unet-eps': reencode((_, m) => (m.kind = 'classifier')),
    'NaN weight': reencode((t) => (t.get(first)!.data[0] = NaN)),
    'huge finite weights': reencode((t) => t.forEach((v) => v.data.fill(3e38))),
    'Inf weight': reencode((t) => (t.get(first)!.data[3] = -Infinity)),
    'missing tensor': reencode((t) => t.delete(first)),
    'extra tensor': reencode((t) => t.set('extra', { name: 'extra', shape: [1], data: new Float32Array(1) })),
    'wrong tensor shape': reencode((t) => {
      const e = t.get(first)!;
      t.set(first, { ...e, shape: [e.data.length] });
    }),
    'format is not deqir-weights': header((h) => (h.__metadata__.format = 'other')),
    'format_version 2': header((h) => (h.__metadata__.format_version = '2')),
    'sha256 mismatch': header((h) => (h.__metadata__.sha256 = '0'.repeat(64))),
    'dtype F16': header((h) => (h[first].dtype = 'F16')),
    'offsets overlap': header((h) => (h[first].data_offsets = [0, 8])),
    'negative shape': header((h) => (h[first].shape = [-1])),
    'metadata not a string': header((h) => (h.__metadata__.name = 5)),
    'header entry null': header((h) => (h[first] = null)),
    truncated: modelBytes.subarray(0, modelBytes.length - 100),
    'header length 2^60': (() => {
      const b = modelBytes.slice();
      new DataView(b.buffer).setBigUint64(0, 2n ** 60n, true);
      return b;
    })(),
    '7 bytes': modelBytes.subarray(0, 7),
    empty: new Uint8Array(0),
    'header not JSON': concat(Uint8Array.from([4, 0, 0, 0, 0, 0, 0, 0]), new TextEncoder().encode('{{{{')),
    'model is a FIFO': { fifo: true },
    'model is a directory': { dir: true },
    'model is 300 MB (sparse)': { sparse: 300 * 2 ** 20 },
  };
  const cases: HostileCase[] = [];
  for (const [name, spec] of Object.entries(files)) {
    const file = spec instanceof Promise ? await spec : spec;
    // Finite weights load; a network that overflows is a runtime failure naming the prior's eps.
    const huge = name === 'huge finite weights';
    cases.push({
      group: 'weights',
      name: `restore --model: ${name}`,
      files: { 'm.safetensors': file },
      argv: [...RESTORE, '--model', '$D/m.safetensors'],
      expect: huge ? 'runtime' : 'bad-input',
      message: huge ? /first non-finite quantity: the prior's eps at step 1/ : /m\.safetensors/,
    });
  }
  // The same files as a problem's unet prior (a subset: the loader is the same).
  for (const name of [
    'config null',
    'config {}',
    'config missing channels',
    'NaN weight',
    'sha256 mismatch',
    'truncated',
    'model is a FIFO',
    'model is a directory',
  ]) {
    const spec = files[name];
    const file = spec instanceof Promise ? await spec : spec;
    const problem = {
      ...baseProblem(),
      shape: [1, 28, 28, 1],
      prior: { kind: 'unet', path: '$D/m.safetensors' },
      xTrue: new Array(784).fill(0),
    };
    cases.push({
      group: 'weights',
      name: `unet prior: ${name}`,
      files: { 'm.safetensors': file, 'p.json': { json: problem } },
      argv: SOLVE,
      expect: 'bad-input',
    });
  }
  cases.push({
    group: 'weights',
    name: 'unet prior is /dev/zero',
    files: { 'p.json': { json: { ...baseProblem(), prior: { kind: 'unet', path: '/dev/zero' } } } },
    argv: SOLVE,
    expect: 'bad-input',
    message: /not a regular file/,
  });
  cases.push({
    group: 'weights',
    name: 'unet prior of another image size',
    files: { 'p.json': { json: { ...baseProblem(), prior: { kind: 'unet', path: 'models/fashion-unet-small.safetensors' } } } },
    argv: SOLVE,
    expect: 'bad-input',
    message: /works on images \[28, 28, 1\]/,
  });
  cases.push({
    group: 'weights',
    name: 'restore --model: an unchanged copy',
    files: { 'm.safetensors': modelBytes },
    argv: [...RESTORE, '--model', '$D/m.safetensors'],
    expect: 'ok',
  });
  return cases;
}

/** Disk failures during the final write: the run fails (exit 1) and an existing output is untouched. */
function faultCases(): HostileCase[] {
  const p = { 'p.json': { json: baseProblem() } };
  return [
    {
      group: 'faults',
      name: 'solve: disk full while writing',
      files: p,
      argv: SOLVE,
      expect: 'runtime',
      failWrite: 'ENOSPC',
      message: /could not write .*ENOSPC; the existing file is untouched/,
    },
    { group: 'faults', name: 'solve: I/O error while writing', files: p, argv: SOLVE, expect: 'runtime', failWrite: 'EIO', message: /EIO/ },
    {
      group: 'faults',
      name: 'restore: disk full while writing the PNG',
      argv: RESTORE,
      expect: 'runtime',
      failWrite: 'ENOSPC',
      message: /ENOSPC; the existing file is untouched/,
    },
    {
      group: 'faults',
      name: 'restore: I/O error while writing the PNG',
      argv: RESTORE,
      expect: 'runtime',
      failWrite: 'EIO',
      message: /EIO/,
    },
  ];
}

/** Jobs over the memory budget are refused with the estimate before anything is allocated. */
function budgetCases(): HostileCase[] {
  const big = (shape: number[], T: number, extra: Record<string, unknown> = {}) => ({
    ...baseProblem(),
    shape,
    T,
    prior: { kind: 'gaussian', mean: 0, variance: 0.1 },
    operator: { kind: 'denoising' },
    xTrue: [],
    ...extra,
  });
  const c = (name: string, problem: unknown, extra: string[] = []): HostileCase => ({
    group: 'budget',
    name,
    files: { 'p.json': { json: problem } },
    argv: [...SOLVE, ...extra],
    expect: 'bad-input',
    message: /over the memory budget of .* MiB/,
  });
  return [
    c('64 x 512x512x4, T 100', big([64, 512, 512, 4], 100)),
    c('8 x 512x512, T 100, Anderson m 50', big([8, 512, 512, 1], 100, { solver: { kind: 'anderson', m: 50 } })),
    c('512x512, T 100, per-step noise', big([16, 512, 512, 3], 100, { nw: 1, noise: 'per-step' })),
    c(
      'mixture of 64 on 512x512x4, T 100',
      big([4, 512, 512, 4], 100, { prior: { kind: 'gaussian-mixture', components: [{ weight: 1, mean: [0], variance: 0.1 }] } }),
    ),
    c('4 x 32x32, T 100 under a 16 MiB budget', big([4, 32, 32, 1], 100), ['--memory-budget-mb', '16']),
  ];
}

export async function hostileCases(modelBytes: Uint8Array): Promise<HostileCase[]> {
  return [
    ...problemCases(),
    ...rawFileCases(),
    ...pathCases(),
    ...flagCases(),
    ...pngCases(),
    ...(await weightCases(modelBytes)),
    ...faultCases(),
    ...budgetCases(),
  ];
}

// ---------------------------------------------------------------- byte-level helpers

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** A PNG whose header claims width x height, with a few bytes of image data. */
function craftedPng(width: number, height: number, interlace = 0, idat: Uint8Array = deflateSync(new Uint8Array(64))): Uint8Array {
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, interlace], 8); // 8-bit grey
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array(0)),
  );
}

/** A 28x28 interlaced PNG whose image data inflates to 16 MB (pngjs would inflate interlaced data unbounded). */
function interlacedBomb(): Uint8Array {
  return craftedPng(28, 28, 1, deflateSync(new Uint8Array(16 * 2 ** 20), { level: 9 }));
}

function flipByte(b: Uint8Array, i: number): Uint8Array {
  const c = b.slice();
  c[i] ^= 0xff;
  return c;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
