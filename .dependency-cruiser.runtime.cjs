/**
 * The rules about what a bundle loads at run time, checked on runtime imports only (type-only
 * imports vanish when TypeScript compiles): the page side loads no TF.js.
 */
const base = require('./.dependency-cruiser.cjs');

module.exports = {
  forbidden: [
    {
      name: 'page-side-no-tfjs',
      comment: 'the page side (site/page, pageApi) loads no TF.js: numerics run in the worker',
      severity: 'error',
      from: { path: '^src/lib/site/page/' },
      to: { path: '@tensorflow', reachable: true },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
