// Observable Framework site configuration. Builds must work offline: no Google Fonts (the default
// theme links them through globalStylesheets) and only explicit imports from node_modules.
export default {
  root: 'src/pages',
  title: 'DeqIR kit',
  pages: [{ name: 'Overview', path: '/' }],
  globalStylesheets: [],
  footer: 'DeqIR kit — Deep Equilibrium Diffusion Restoration (Cao et al., CVPR 2024), reimplemented in TensorFlow.js.',
  search: false,
};
