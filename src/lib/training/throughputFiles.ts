/** The committed data-parallel throughput results the docs/results.md table is made from. */
export const THROUGHPUT_FILES = [
  { path: 'data/benchmarks/train-throughput-grey-parallel.json', label: 'grey Fashion-MNIST' },
  { path: 'data/benchmarks/train-throughput-emoji.json', label: 'colour emoji' },
] as const;
