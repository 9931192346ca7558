import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFashionMnist } from '../src/lib/node/fashionMnist.js';
import { loadBenchmarkSubset } from '../src/lib/node/benchmarkSubset.js';
import { encodeIdx, parseIdx } from '../src/lib/data/idx.js';
import { FASHION_CLASSES, toSignedUnit } from '../src/lib/data/labelledImages.js';
import { seededSubset } from '../src/lib/data/seededSubset.js';

describe('datasets', () => {
  it('IDX encode/parse round-trips and refuses bad files with a reason', () => {
    const bytes = encodeIdx([2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6]));
    expect(parseIdx(bytes)).toEqual({ shape: [2, 3], data: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1))).toThrow(/promises 6 values .* has 5 \(truncated/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]))).toThrow(/gunzipped first/);
    const floats = bytes.slice();
    floats[2] = 0x0d;
    expect(() => parseIdx(floats)).toThrow(/not unsigned byte/);
  });

  it('a missing dataset folder names the Debian package and --data', () => {
    expect(() => loadFashionMnist('train', '/nonexistent/fmnist')).toThrow(/apt-get install dataset-fashion-mnist.*--data DIR/s);
  });

  it('the shipped benchmark subset matches its provenance file', () => {
    const prov = JSON.parse(readFileSync('data/fashion-mnist-test-256.provenance.json', 'utf8'));
    for (const [f, { sha256 }] of Object.entries(prov.files) as [string, { sha256: string }][])
      expect(
        createHash('sha256')
          .update(readFileSync(`data/${f}`))
          .digest('hex'),
      ).toBe(sha256);
    const s = loadBenchmarkSubset();
    expect([s.count, s.height, s.width]).toEqual([256, 28, 28]);
    expect(prov.indices).toEqual(seededSubset(10000, 256, prov.seed));
    const counts = FASHION_CLASSES.map((_, c) => s.labels.filter((l) => l === c).length);
    expect(counts).toEqual(FASHION_CLASSES.map((n) => prov.classCounts[n]));
    expect(Math.min(...counts)).toBeGreaterThan(0);
    const x = toSignedUnit(s, [0]);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
  });

  it('seeded subsets are distinct, sorted and reproducible', () => {
    const a = seededSubset(50, 20, 7);
    expect(new Set(a).size).toBe(20);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(seededSubset(50, 20, 7)).toEqual(a);
    expect(seededSubset(50, 20, 8)).not.toEqual(a);
    expect(() => seededSubset(5, 6, 1)).toThrow(RangeError);
  });
});
