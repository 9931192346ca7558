// Observable Framework site configuration. Builds must work offline: no Google Fonts (the default
// theme links them through globalStylesheets) and only explicit imports from node_modules.
// DEQIR_SITE_OUT lets the end-to-end test build into its own folder while another build runs.
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
  // No favicon request (a 404 is a console error in the end-to-end test).
  head: '<link rel="icon" href="data:,">',
};
