import { DEPTH_BEGIN, DEPTH_END, depthReport, VARIANTS_BEGIN, VARIANTS_END, type DepthResultsFile } from './depthReport.js';
import { COLOUR_QUALITY_BLOCK, GREY_QUALITY_BLOCK, notRunReport, qualityReport, type QualityResultsFile } from './qualityReport.js';
import { THROUGHPUT_BEGIN, THROUGHPUT_END, throughputReport, type ThroughputResultsFile } from '../training/throughputReport.js';
import { THROUGHPUT_FILES } from '../training/throughputFiles.js';
import { cardBlockMarkers, cardPath, priorCardReport, type PriorCard } from './cardReport.js';
import { RECIPE_KEYS } from '../training/recipes.js';
import { STOPPING_BEGIN, STOPPING_END, stoppingReport, type StoppingResultsFile } from './stoppingReport.js';

/** Reads a committed results file as parsed JSON, or undefined when it does not exist (yet). */
export type ResultsReader = (path: string) => unknown;

/** The page that holds the generated blocks. */
export const RESULTS_DOC = 'docs/results.md';

/**
 * The generated blocks of docs/results.md: the markers each sits between, the results files it is made from
 * and how it is rendered. `npm run results:docs` writes them and test/resultsDoc.test.ts checks
 * them, both from this one list, so a block cannot be written one way and checked another.
 */
export interface ResultsBlock {
  name: string;
  sources: readonly string[];
  begin: string;
  end: string;
  render: (read: ResultsReader) => string;
}

const required = (read: ResultsReader, path: string): unknown => {
  const f = read(path);
  if (f === undefined) throw new Error(`${path} is missing: the results block made from it cannot be written`);
  return f;
};

export const RESULTS_BLOCKS: readonly ResultsBlock[] = [
  {
    name: 'benchmark',
    sources: ['data/benchmarks/quality.json'],
    ...GREY_QUALITY_BLOCK,
    render: (read) => qualityReport(required(read, 'data/benchmarks/quality.json') as QualityResultsFile, GREY_QUALITY_BLOCK),
  },
  {
    // Optional: until the colour run exists the block says it has not been run.
    name: 'colour benchmark',
    sources: ['data/benchmarks/quality-colour.json'],
    ...COLOUR_QUALITY_BLOCK,
    render: (read) => {
      const f = read('data/benchmarks/quality-colour.json') as QualityResultsFile | undefined;
      return f ? qualityReport(f, COLOUR_QUALITY_BLOCK) : notRunReport(COLOUR_QUALITY_BLOCK);
    },
  },
  {
    name: 'solver-depth',
    sources: ['data/benchmarks/depth.json'],
    begin: DEPTH_BEGIN,
    end: DEPTH_END,
    render: (read) => depthReport(required(read, 'data/benchmarks/depth.json') as DepthResultsFile),
  },
  {
    // Optional until each run exists: the block then says which has not been run.
    name: 'stopping-rule',
    sources: ['data/benchmarks/stopping-calibration.json', 'data/benchmarks/stopping.json'],
    begin: STOPPING_BEGIN,
    end: STOPPING_END,
    render: (read) =>
      stoppingReport(
        read('data/benchmarks/stopping-calibration.json') as StoppingResultsFile | undefined,
        read('data/benchmarks/stopping.json') as StoppingResultsFile | undefined,
      ),
  },
  {
    name: 'solver-variant',
    sources: ['data/benchmarks/depth-variants.json'],
    begin: VARIANTS_BEGIN,
    end: VARIANTS_END,
    render: (read) =>
      depthReport(required(read, 'data/benchmarks/depth-variants.json') as DepthResultsFile, {
        begin: VARIANTS_BEGIN,
        end: VARIANTS_END,
        targets: false,
      }),
  },
  {
    name: 'training-throughput',
    sources: THROUGHPUT_FILES.map((f) => f.path),
    begin: THROUGHPUT_BEGIN,
    end: THROUGHPUT_END,
    render: (read) => throughputReport(THROUGHPUT_FILES.map((f) => ({ ...f, file: required(read, f.path) as ThroughputResultsFile }))),
  },
  // Each shipped prior's card: training status, quality bar, latencies.
  ...RECIPE_KEYS.map((key) => ({
    name: `${key} model card`,
    sources: [cardPath(key)],
    ...cardBlockMarkers(key),
    render: (read: ResultsReader) => priorCardReport(required(read, cardPath(key)) as PriorCard, key),
  })),
];
