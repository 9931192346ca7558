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
  | 'image-file';

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
  constructor(message: string) {
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

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}
