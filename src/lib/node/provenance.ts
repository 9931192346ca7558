import { execFileSync } from 'node:child_process';
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
}

export function provenance(settings?: unknown, backend?: string): Provenance {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  return {
    gitCommit: git(['rev-parse', 'HEAD']) || 'unknown',
    gitDirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
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
  };
}
