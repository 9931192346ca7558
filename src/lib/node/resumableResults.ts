import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomicWrite.js';

/** A run whose units a resumed run reused. */
export interface EarlierRun {
  gitCommit: string;
  gitDirty: boolean;
  date: string;
}

/**
 * A results file a long run rewrites after every unit of work, so an interrupted run continues
 * where it stopped. Units from a file are reused only when its settings equal this run's
 * (compared as JSON): changed settings start over instead of mixing two experiments.
 */
export function readResumable<U>(
  path: string,
  settings: unknown,
  units: (file: unknown) => U[] | undefined,
): { units: U[]; note: string; earlier?: EarlierRun[] } {
  if (!existsSync(path)) return { units: [], note: `no ${path} yet: starting fresh` };
  let file: { provenance?: { settings?: unknown } };
  try {
    file = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { units: [], note: `${path} is not valid JSON: starting fresh` };
  }
  if (JSON.stringify(file.provenance?.settings) !== JSON.stringify(settings))
    return { units: [], note: `${path} was made with other settings: starting fresh` };
  const found = units(file) ?? [];
  if (!found.length) return { units: [], note: `${path} holds no reusable units: starting fresh` };
  // The runs that made the reused units, so a resumed file still names every commit behind it.
  const p = file.provenance as { gitCommit?: string; gitDirty?: boolean; date?: string; resumedFrom?: EarlierRun[] };
  const earlier = [
    ...(p.resumedFrom ?? []),
    { gitCommit: p.gitCommit ?? 'unknown', gitDirty: p.gitDirty ?? true, date: p.date ?? 'unknown' },
  ];
  return { units: found, note: `resuming from ${path}: ${found.length} units already measured`, earlier };
}

/** Writes a results file (creating its folder) through the one atomic writer (atomicWrite.ts). */
export async function writeResultsFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, text);
}
