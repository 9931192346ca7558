// Gradient suite: cost and accuracy of implicit / phantom / serial gradients, phantom cosine as
// k grows, and PSNR before/after initialization optimization.
import { mkdir, writeFile } from 'node:fs/promises';
import { fittedGaussianPrior } from '../../src/lib/models/gaussianPrior.js';
import { gradientCosts, initOptimizationStudy } from '../../src/lib/bench/gradientBenchmark.js';
import { toSignedUnit } from '../../src/lib/data/labelledImages.js';
import type { GradientOptions } from '../../src/lib/gradients/restorationGradient.js';
import { loadBenchmarkSubset } from '../../src/lib/node/benchmarkSubset.js';
import { loadModelFile } from '../../src/lib/node/loadModelFile.js';
import { provenance } from '../../src/lib/node/provenance.js';

export async function gradientSuite(backend: string, quick: boolean, outPath?: string): Promise<void> {
  const started = performance.now();
  const log = (label: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${label}\n`);
  const set = loadBenchmarkSubset();
  const gaussian = fittedGaussianPrior(
    toSignedUnit(
      set,
      Array.from({ length: 128 }, (_, i) => i),
    ),
    128,
    [28, 28, 1],
  );
  const unet = await loadModelFile('models/fashion-unet-small.safetensors', [28, 28, 1]);
  const methods: { name: string; opts: GradientOptions }[] = [
    { name: 'implicit', opts: { method: 'implicit' } },
    ...[1, 2, 5].flatMap((k) =>
      [0.1, 0.5, 1].map((tau) => ({
        name: `phantom k=${k} tau=${tau}`,
        opts: { method: 'phantom', phantomSteps: k, phantomTau: tau } as GradientOptions,
      })),
    ),
  ];
  const settings = {
    // Phantom back-propagation keeps k * T network activations on the tape: k * T <= 100 keeps the
    // UNet within wasm memory (k * T = 200 ran out).
    maxPhantomImages: 100,
    costs: { Ts: quick ? [20] : [20, 50], loss: 'x0 centre pixel, SR x4 (avg-pool), benchmark image 200, xT seed 5' },
    init: { T: 20, steps: quick ? 5 : 30, lr: 5e-3, images: quick ? [0] : [0, 1, 2], gradient: 'phantom k=1 tau=0.1 (the reference)' },
  };
  const costs = await gradientCosts(
    [
      { name: 'Gaussian (fitted)', model: gaussian },
      { name: 'UNet (shipped)', model: unet },
    ],
    settings.costs.Ts,
    set,
    (T) => methods.filter((m) => (m.opts.phantomSteps ?? 0) * T <= settings.maxPhantomImages),
    log,
  );
  console.log('\nOne gradient of a pixel of x0 (SR x4), wasm, against serial back-propagation:\n');
  console.log('prior | T | method | wall ms | NFE-eq | rel L2 (dxT) | cosine (dxT) | cosine (dy)');
  for (const r of costs) {
    console.log(
      [
        r.prior,
        r.T,
        r.method,
        r.wallMs.toFixed(0),
        r.nfeEquivalent,
        r.relL2xT.toExponential(1),
        r.cosinexT.toFixed(4),
        r.cosiney.toFixed(4),
      ].join(' | '),
    );
  }
  const init = await initOptimizationStudy(
    unet,
    set,
    [
      { name: 'SR x4 (avg-pool)', spec: { kind: 'sr-avgpool', factor: 4 } },
      { name: 'inpainting (box)', spec: { kind: 'inpainting', pattern: 'box' } },
    ],
    settings.init.images,
    settings.init,
    log,
  );
  console.log(
    `\nInitialization optimization (UNet, T = ${settings.init.T}, Adam lr ${settings.init.lr}, ${settings.init.steps} steps, phantom gradient):\n`,
  );
  console.log('task | guide | image | PSNR A+y | PSNR before | PSNR after | wall s');
  for (const r of init) {
    console.log(
      [r.task, r.guide, r.image, r.psnrPinv.toFixed(2), r.psnrBefore.toFixed(2), r.psnrAfter.toFixed(2), (r.wallMs / 1000).toFixed(1)].join(
        ' | ',
      ),
    );
  }
  gaussian.dispose?.();
  unet.dispose?.();
  const out = outPath ?? (quick ? 'data/benchmarks/gradients-quick.json' : 'data/benchmarks/gradients.json');
  await mkdir('data/benchmarks', { recursive: true });
  await writeFile(out, JSON.stringify({ provenance: provenance(settings, backend), costs, init }, null, 1));
  console.log(`\nwrote ${out} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
