/** Prints "[done/total] label  elapsed, ETA" lines to stderr. */
export function progressPrinter(started: number) {
  return (done: number, total: number, label: string): void => {
    const el = (performance.now() - started) / 1000;
    const eta = done > 0 ? (el / done) * (total - done) : NaN;
    process.stderr.write(
      `[${done}/${total}] ${label}  elapsed ${el.toFixed(0)} s, ETA ${Number.isFinite(eta) ? eta.toFixed(0) + ' s' : '?'}\n`,
    );
  };
}
