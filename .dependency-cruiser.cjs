/**
 * The kit's layers, held by `npm run lint:deps` (dependency-cruiser) in CI. Each layer of
 * src/lib may import its own folder and the layers before it, never one after it, so no two
 * folders import each other and no file imports itself round a cycle. docs/design.md §4 says
 * what each layer holds. What bundles load at run time is in .dependency-cruiser.runtime.cjs.
 */
const layers = [
  ['leaf', '^src/lib/(errors|bounds)\\.ts$|^src/lib/(image|random|schedule)/'],
  ['tensors', '^src/lib/(tensors|optim)/'],
  ['operators', '^src/lib/operators/'],
  ['metrics', '^src/lib/metrics/'],
  ['models', '^src/lib/models/'],
  ['samplers', '^src/lib/samplers/'],
  ['deq', '^src/lib/deq/'],
  ['gradients', '^src/lib/gradients/'],
  ['problem', '^src/lib/problem/'],
  ['backend', '^src/lib/backend/'],
  ['data', '^src/lib/data/'],
  ['training', '^src/lib/training/'],
  ['quality', '^src/lib/quality/'],
  ['bench', '^src/lib/bench/'],
  ['site', '^src/lib/site/'],
  ['node', '^src/lib/node/'],
];

const layerRules = layers.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  comment: `${name} may import only itself and the layers before it (${
    layers
      .slice(0, i)
      .map(([n]) => n)
      .join(', ') || 'none'
  })`,
  severity: 'error',
  from: { path },
  to: {
    path: layers
      .slice(i + 1)
      .map(([, p]) => `(${p})`)
      .join('|'),
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'no file reaches itself through its imports',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'solvers-know-no-diffusion',
      comment: 'fixed-point solvers take a map on tensors: they import only errors, bounds, tensor helpers and each other',
      severity: 'error',
      from: { path: '^src/lib/deq/solvers/' },
      to: { path: '^src/', pathNot: '^src/lib/(errors\\.ts|bounds\\.ts|tensors/|deq/solvers/)' },
    },
    {
      name: 'page-side-not-worker',
      comment: 'the page side talks to the worker through messages (site/protocol.ts), never by import',
      severity: 'error',
      from: { path: '^src/lib/site/page/' },
      to: { path: '^src/lib/site/(worker|jobs)/' },
    },
    {
      name: 'jobs-not-worker',
      comment: 'site/jobs runs in the worker and in the build-time loaders: it imports nothing of the worker entry',
      severity: 'error',
      from: { path: '^src/lib/site/jobs/' },
      to: { path: '^src/lib/site/(worker|page)/' },
    },
    {
      name: 'node-builtins-only-in-node',
      comment: 'node:* modules only under src/lib/node/, scripts/, test/ and the build-time data loaders',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/lib/node/|^src/pages/data/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'components-no-library',
      comment: 'page components import the bundled client (_deqir/), never the library source',
      severity: 'error',
      from: { path: '^src/pages/components/' },
      to: { path: '^src/lib/' },
    },
    {
      name: 'code-not-tests',
      comment: 'library and scripts never import the tests',
      severity: 'error',
      from: { path: '^(src|scripts)/' },
      to: { path: '^test/' },
    },
    {
      name: 'library-not-scripts',
      comment: 'scripts are thin entry points: the library never imports them',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^scripts/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/pages/_deqir/|^dist/' },
  },
};
