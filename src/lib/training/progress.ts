/** Human-readable duration: 75 -> "1m15s", 3700 -> "1h01m". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export interface ProgressInfo {
  step: number;
  totalSteps: number;
  /** Mean loss since the last report. */
  loss: number;
  imagesPerSec: number;
  batchSize: number;
}

/** One log line with a bar, loss, throughput and ETA (log-file friendly: no carriage returns). */
export function formatProgress(p: ProgressInfo): string {
  const frac = Math.min(1, p.step / p.totalSteps);
  const width = 20;
  const filled = Math.round(frac * width);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const eta = ((p.totalSteps - p.step) * p.batchSize) / p.imagesPerSec;
  return `[${bar}] step ${p.step}/${p.totalSteps} loss ${p.loss.toFixed(4)} ${p.imagesPerSec.toFixed(1)} img/s ETA ${formatDuration(eta)}`;
}
