/**
 * The commits whose measurements a resumed results file reused, each once, as the generated
 * Results blocks name them ("a1b2c3d, e4f5a6b (uncommitted changes)"); empty when none.
 */
export const earlierRunsText = (runs: readonly { gitCommit: string; gitDirty: boolean }[] = []): string =>
  [...new Set(runs.map((r) => `${r.gitCommit.slice(0, 7)}${r.gitDirty ? ' (uncommitted changes)' : ''}`))].join(', ');
