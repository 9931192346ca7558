import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** Where a result came from: written beside every long job's output (Node only). */
export interface Provenance {
  gitCommit: string;
  gitDirty: boolean;
  date: string;
  command: string;
  node: string;
  machine: { cpu: string; cores: number; memoryGiB: number; platform: string };
  backend?: string;
  settings?: unknown;
  /** sha256 of input files (model weights, data), so readers know exactly what was used. */
  files?: Record<string, string>;
}

export function bytesSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function fileSha256(path: string): string {
  return bytesSha256(readFileSync(path));
}

/**
 * `files`: paths to hash now, or hashes the caller took when it read the files (safer when another
 * process may rewrite them during a long run).
 */
/** Tracked files with uncommitted changes (what makes a result's commit not the one that made it). */
export function uncommittedChanges(): string[] {
  return git(['status', '--porcelain', '--untracked-files=no'])
    .split('\n')
    .filter(Boolean)
    .map((l) => l.slice(3));
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd();
  } catch {
    return '';
  }
}

export function provenance(settings?: unknown, backend?: string, files: string[] | Record<string, string> = []): Provenance {
  const hashes = Array.isArray(files) ? Object.fromEntries(files.map((f) => [f, fileSha256(f)])) : files;
  return {
    gitCommit: git(['rev-parse', 'HEAD']) || 'unknown',
    gitDirty: uncommittedChanges().length > 0,
    date: new Date().toISOString(),
    command: process.argv.slice(1).join(' '),
    node: process.version,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      platform: `${process.platform}-${process.arch}`,
    },
    backend,
    settings,
    ...(Object.keys(hashes).length ? { files: hashes } : {}),
  };
}
