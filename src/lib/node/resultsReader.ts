import { existsSync, readFileSync } from 'node:fs';

/** A committed results file as parsed JSON, or undefined when it does not exist (yet). */
export function readResultsFile(path: string): unknown {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : undefined;
}
