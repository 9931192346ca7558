// Phantom-gradient suite: cosine of the phantom gradient to the exact one as the number of damped
// steps k grows to T (at k = T, tau = 1 it is exact: the fixed-point Jacobian is nilpotent).
// T = 10 keeps k * T <= 100 images on the tape (wasm memory). ~2 min.
import { mkdir, writeFile } from 'node:fs/promises';
import { gradientCosts } from '../../src/lib/bench/gradientBenchmark.js';
import type { GradientOptions } from '../../src/lib/gradients/restorationGradient.js';
import { loadBenchmarkSubset } from '../../src/lib/node/benchmarkSubset.js';
import { loadModelFile } from '../../src/lib/node/loadModelFile.js';
import { provenance } from '../../src/lib/node/provenance.js';

export async function phantomSuite(backend: string, quick: boolean, outPath?: string): Promise<void> {
  const started = performance.now();
  const log = (label: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${label}\n`);
  const settings = {
    T: 10,
    ks: quick ? [1, 10] : [1, 2, 3, 5, 8, 10],
    taus: [0.1, 1],
    loss: 'x0 centre pixel, SR x4 (avg-pool), benchmark image 200, xT seed 5',
    model: 'models/fashion-unet-small.safetensors',
  };
  const unet = await loadModelFile(settings.model, [28, 28, 1]);
  const methods = settings.ks.flatMap((k) =>
    settings.taus.map((tau) => ({
      name: `phantom k=${k} tau=${tau}`,
      opts: { method: 'phantom', phantomSteps: k, phantomTau: tau } as GradientOptions,
    })),
  );
  const rows = await gradientCosts([{ name: 'UNet (shipped)', model: unet }], [settings.T], loadBenchmarkSubset(), () => methods, log);
  unet.dispose?.();
  console.log(`\nPhantom gradient vs serial back-propagation, UNet, T = ${settings.T}, wasm:\n`);
  console.log('method | wall ms | NFE-eq | cosine (dxT) | cosine (dy) | rel L2 (dxT)');
  for (const r of rows)
    console.log(
      [r.method, r.wallMs.toFixed(0), r.nfeEquivalent, r.cosinexT.toFixed(4), r.cosiney.toFixed(4), r.relL2xT.toExponential(1)].join(' | '),
    );
  const out = outPath ?? (quick ? 'data/benchmarks/phantom-quick.json' : 'data/benchmarks/phantom.json');
  await mkdir('data/benchmarks', { recursive: true });
  await writeFile(out, JSON.stringify({ provenance: provenance(settings, backend), rows }, null, 1));
  console.log(`\nwrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
