// Observable Framework site configuration. Builds must work offline: no Google Fonts (the default
// theme links them through globalStylesheets) and only explicit imports from node_modules.
// DEQIR_SITE_OUT lets the end-to-end test build into its own folder while another build runs.
// preserveExtension: links say /chain.html, so dist/ works on any static file server (none maps /x
// to /x.html by itself; GitHub Pages does, python -m http.server does not), under any sub-path.
export default {
  root: 'src/pages',
  output: process.env.DEQIR_SITE_OUT ?? 'dist',
  title: 'DeqIR kit',
  pages: [
    { name: 'Overview', path: '/' },
    { name: 'From a chain to a fixed point', path: '/chain' },
    { name: 'Solving it', path: '/solving' },
    { name: 'Gradients', path: '/gradients' },
    { name: 'Steering the noise', path: '/steering' },
    { name: 'Speed on this device', path: '/bench' },
    { name: 'Benchmarks', path: '/benchmarks' },
    { name: 'The prior', path: '/model' },
  ],
  globalStylesheets: [],
  footer: 'DeqIR kit — Deep Equilibrium Diffusion Restoration (Cao et al., CVPR 2024), reimplemented in TensorFlow.js.',
  search: false,
  preserveExtension: true,
  // No favicon request (a 404 is a console error in the end-to-end test). The style keeps every page
  // within a phone's width (test/e2e: nothing wider than 390 px): display equations, wide tables and
  // the trajectory grid scroll inside their own box; figures and form controls shrink to the column.
  head: `<link rel="icon" href="data:,"><style>
.katex-display { overflow-x: auto; overflow-y: hidden; max-width: 100%; padding: 2px 0; }
.deqir-scroll { overflow-x: auto; max-width: 100%; }
.deqir-scroll > table { margin-bottom: 0; }
#observablehq-main svg:not(.katex svg), #observablehq-main canvas, #observablehq-main img { max-width: 100%; }
#observablehq-main svg[viewBox]:not(.katex svg) { height: auto; }
#observablehq-main label, #observablehq-main select, #observablehq-main input { max-width: 100%; min-width: 0; }
#observablehq-main pre { overflow-x: auto; }
@media (max-width: 640px) {
  #observablehq-main table { display: block; overflow-x: auto; max-width: 100%; }
  #observablehq-main label { flex-wrap: wrap; }
  .deqir-benchmark-table td, .deqir-benchmark-table th { white-space: nowrap; }
}
</style>`,
};
