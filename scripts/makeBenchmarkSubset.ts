/**
 * Writes the shipped benchmark subset of the Fashion-MNIST TEST split to data/:
 *   fashion-mnist-test-256-images-idx3-ubyte   (IDX, uint8 [256, 28, 28])
 *   fashion-mnist-test-256-labels-idx1-ubyte   (IDX, uint8 [256])
 *   fashion-mnist-test-256.provenance.json     (source, seed, indices, hashes, license)
 *   npx tsx scripts/makeBenchmarkSubset.ts [--data DIR] [--count 256] [--seed 20240]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_FASHION_DIR, FASHION_CLASSES, loadFashionMnist } from '../src/lib/node/fashionMnist.js';
import { encodeIdx } from '../src/lib/data/idx.js';
import { seededSubset } from '../src/lib/data/seededSubset.js';
import { bytesSha256, fileSha256 } from '../src/lib/node/provenance.js';

const { values: a } = parseArgs({
  options: {
    data: { type: 'string', default: DEFAULT_FASHION_DIR },
    count: { type: 'string', default: '256' },
    seed: { type: 'string', default: '20240' },
    out: { type: 'string', default: 'data' },
  },
});
const k = Number(a.count);
const seed = Number(a.seed);
const test = loadFashionMnist('test', a.data);
const indices = seededSubset(test.count, k, seed);
const px = test.height * test.width;
const pixels = new Uint8Array(k * px);
const labels = new Uint8Array(k);
indices.forEach((idx, i) => {
  pixels.set(test.pixels.subarray(idx * px, (idx + 1) * px), i * px);
  labels[i] = test.labels[idx];
});
const base = `fashion-mnist-test-${k}`;
const imgFile = `${base}-images-idx3-ubyte`;
const labFile = `${base}-labels-idx1-ubyte`;
const imgBytes = encodeIdx([k, test.height, test.width], pixels);
const labBytes = encodeIdx([k], labels);
writeFileSync(join(a.out, imgFile), imgBytes);
writeFileSync(join(a.out, labFile), labBytes);
const classCounts = Object.fromEntries(FASHION_CLASSES.map((c, i) => [c, labels.filter((l) => l === i).length]));
const provenance = {
  dataset: 'Fashion-MNIST',
  split: 'test (t10k, 10,000 images)',
  homepage: 'https://github.com/zalandoresearch/fashion-mnist',
  license: 'MIT (Copyright (c) 2017 Zalando SE); see LICENSE-fashion-mnist.txt',
  obtainedFrom: `Debian package dataset-fashion-mnist, ${a.data}`,
  sourceFiles: Object.fromEntries(
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].map((f) => [f, { sha256: fileSha256(join(a.data, f)) }]),
  ),
  selection: `seededSubset(10000, ${k}, seed ${seed}): partial Fisher-Yates shuffle with the mulberry32 PRNG of src/lib/random/prng.ts, indices sorted ascending`,
  seed,
  count: k,
  format: 'IDX (uncompressed), uint8 pixels 0..255 with 0 = background; the model uses x / 127.5 - 1',
  files: { [imgFile]: { sha256: bytesSha256(imgBytes) }, [labFile]: { sha256: bytesSha256(labBytes) } },
  classNames: FASHION_CLASSES,
  classCounts,
  indices,
  generatedBy: 'npx tsx scripts/makeBenchmarkSubset.ts',
};
writeFileSync(join(a.out, `${base}.provenance.json`), JSON.stringify(provenance, null, 2) + '\n');
console.log(`wrote ${k} test images to ${a.out}/ (classes: ${JSON.stringify(classCounts)})`);
