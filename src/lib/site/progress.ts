/** What long runs report while they work (sent from the worker to the page as is). */
export type Progress =
  | { phase: 'model'; message: string }
  | { phase: 'serial'; step: number; of: number }
  | { phase: 'deq'; iteration: number; maxIter: number; relResidual: number; solver?: string }
  | { phase: 'gradient'; method: string; index: number; of: number }
  | { phase: 'steer'; step: number; of: number; loss: number; psnr?: number; forwardIterations: number; wallMs: number; x0: number[] }
  | { phase: 'bench'; message: string };

export type ProgressFn = (p: Progress) => void;

/** Lets queued messages (a cancel) in between steps; workers have no other chance to see them. */
export const yieldToEvents = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
