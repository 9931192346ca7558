/** How a DeqIR solve starts: every state at x_T (the reference), or on the DDIM path from x_T towards A+y. */
export type InitKind = 'xT' | 'ddim-pinv';
/** Start every state on the DDIM path from x_T towards A+y (free to compute; fewer iterations than x_T everywhere). */
export const DEFAULT_INIT = 'ddim-pinv' as const;
