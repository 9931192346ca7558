/**
 * Typed errors. Every error the library throws on bad input names the problem in its message
 * and carries a stable `code`, so callers (CLI, worker, pages) can react without parsing text.
 */
export type DeqirErrorCode =
  | 'shape'
  | 'parameter'
  | 'problem-file'
  | 'non-finite'
  | 'diverged'
  | 'aborted'
  | 'model-file'
  | 'dataset'
  | 'image-file'
  | 'usage'
  | 'output-file'
  | 'resource'
  | 'write';

export class DeqirError extends Error {
  constructor(
    readonly code: DeqirErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeqirError';
  }
}

export class ShapeError extends DeqirError {
  constructor(message: string) {
    super('shape', message);
    this.name = 'ShapeError';
  }
}

export class ParameterError extends DeqirError {
  /** The setting at fault (e.g. 'task'), for callers that point at it; absent when the message alone says it. */
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super('parameter', message);
    this.name = 'ParameterError';
  }
}

export class ProblemFileError extends DeqirError {
  constructor(message: string) {
    super('problem-file', message);
    this.name = 'ProblemFileError';
  }
}

export class NonFiniteError extends DeqirError {
  constructor(message: string) {
    super('non-finite', message);
    this.name = 'NonFiniteError';
  }
}

export class SolverDivergedError extends DeqirError {
  constructor(
    message: string,
    readonly iteration: number,
  ) {
    super('diverged', message);
    this.name = 'SolverDivergedError';
  }
}

/** Thrown when an AbortSignal fires; `name` is 'AbortError' as in the DOM convention. */
export class AbortError extends DeqirError {
  constructor(message = 'the run was cancelled') {
    super('aborted', message);
    this.name = 'AbortError';
  }
}

/** A command line that cannot be understood: an unknown flag, a missing value, a malformed number. */
export class UsageError extends DeqirError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

/** An output path that cannot be written (missing folder, a directory, not writable), found before any computing. */
export class OutputPathError extends DeqirError {
  constructor(message: string) {
    super('output-file', message);
    this.name = 'OutputPathError';
  }
}

/** A job refused before it allocates: its estimated memory exceeds the budget (the message gives both). */
export class ResourceError extends DeqirError {
  constructor(message: string) {
    super('resource', message);
    this.name = 'ResourceError';
  }
}

/** Writing a result failed after computing (disk full, I/O error); any earlier file at that path is untouched. */
export class WriteError extends DeqirError {
  constructor(message: string) {
    super('write', message);
    this.name = 'WriteError';
  }
}

/**
 * Codes that mean "the input is wrong" (the CLI exits with 2, a page says what to change); every
 * other failure is a runtime one (exit 1).
 */
const BAD_INPUT_CODES: ReadonlySet<DeqirErrorCode> = new Set<DeqirErrorCode>([
  'usage',
  'shape',
  'parameter',
  'problem-file',
  'image-file',
  'model-file',
  'dataset',
  'output-file',
  'resource',
]);

export const isBadInput = (e: unknown): boolean => e instanceof DeqirError && BAD_INPUT_CODES.has(e.code);

/** ' (did you mean 'x'?)' for the candidate nearest to `name` by edit distance, or '' when none is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
