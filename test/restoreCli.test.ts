import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';

const run = (args: string[]) => promisify(execFile)('npx', ['tsx', 'scripts/deqir.ts', 'restore', ...args]);

/** Panel k of the CLI's [Aᵀy | A⁺y | restored | original] picture, as 28x28 bytes (4x blocks, 2 px gaps). */
function panel(png: PNG, k: number): Uint8Array {
  const out = new Uint8Array(784);
  for (let i = 0; i < 28; i++) for (let j = 0; j < 28; j++) out[i * 28 + j] = png.data[4 * (4 * i * png.width + k * (28 * 4 + 2) + 4 * j)];
  return out;
}

const psnr8 = (a: Uint8Array, b: Uint8Array) => 10 * Math.log10(255 ** 2 / (a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.length));

describe('deqir restore on a benchmark image', () => {
  it('round-trips a PNG: the restored panel beats A⁺y against the truth, read back from the output PNG', { timeout: 120_000 }, async () => {
    const set = loadBenchmarkSubset();
    const truth = set.pixels.subarray(0, 784);
    const dir = await mkdtemp(join(tmpdir(), 'deqir-restore-'));
    const png = new PNG({ width: 28, height: 28 });
    truth.forEach((v, i) => png.data.set([v, v, v, 255], 4 * i));
    await writeFile(join(dir, 'in.png'), PNG.sync.write(png));
    const { stderr } = await run([join(dir, 'in.png'), '--task', 'sr4', '--T', '20', '--out', join(dir, 'out.png')]);
    const [, restored, pinv] = stderr.match(/PSNR ([\d.]+) dB \(A\+y: ([\d.]+) dB\)/)!.map(Number);
    expect(restored).toBeGreaterThan(pinv);
    const out = PNG.sync.read(await readFile(join(dir, 'out.png')));
    expect([out.width, out.height]).toEqual([4 * 28 * 4 + 3 * 2, 28 * 4]);
    expect(panel(out, 3)).toEqual(Uint8Array.from(truth));
    const fromPng = { pinv: psnr8(panel(out, 1), truth), restored: psnr8(panel(out, 2), truth) };
    expect(fromPng.restored).toBeGreaterThan(fromPng.pinv);
    // The PNG holds 8-bit values of the clipped image: its PSNR agrees with the reported one to rounding.
    expect(Math.abs(fromPng.restored - restored)).toBeLessThan(0.5);
  });

  it('names a missing file, an unknown task and a missing --out', async () => {
    await expect(run(['/nonexistent/in.png', '--task', 'sr4', '--out', '/tmp/o.png'])).rejects.toMatchObject({
      stderr: expect.stringContaining('cannot read /nonexistent/in.png: ENOENT'),
    });
    const dir = await mkdtemp(join(tmpdir(), 'deqir-restore-'));
    await writeFile(join(dir, 'in.png'), PNG.sync.write(new PNG({ width: 28, height: 28 })));
    await expect(run([join(dir, 'in.png'), '--task', 'sr5', '--out', join(dir, 'o.png')])).rejects.toMatchObject({
      stderr: expect.stringContaining("unknown task 'sr5' (available: sr4"),
    });
    await expect(run([join(dir, 'in.png'), '--task', 'sr4'])).rejects.toMatchObject({
      stderr: expect.stringContaining('restore needs --out OUT.png'),
    });
  });
});
