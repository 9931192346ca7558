/**
 * A model card's timing record (scripts/modelCard.ts) as table rows: eps latency per batch size and
 * the training run's mean throughput. The prior page and the generated blocks of docs/results.md both use it.
 */
export interface CardTiming {
  backend: string;
  machine: { cpu: string; cores: number; loadAverage1m: number };
  epsLatency: { batch: number; medianMs: number; imagesPerSec: number }[];
  note: string;
  trainingImagesPerSec: { meanOverRun: number; note: string };
  command: string;
}

export function latencyRows(t: CardTiming): { rows: [string, string, string][]; caption: string } {
  const rows: [string, string, string][] = t.epsLatency.map((r) => [`eps, batch ${r.batch}`, `${r.medianMs} ms`, `${r.imagesPerSec} images/s`]);
  rows.push(['training (mean over the run)', '—', `${t.trainingImagesPerSec.meanOverRun} images/s`]);
  return {
    rows,
    caption: `${t.backend} on ${t.machine.cpu} (${t.machine.cores} cores, load ${t.machine.loadAverage1m.toFixed(2)}). ${t.note} ${t.trainingImagesPerSec.note}. Command: ${t.command}`,
  };
}
