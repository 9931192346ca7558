/** The browser's TF.js backends and what measuring them yields; no TF.js here, so the page side may import it. */
export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

/** One backend's measurement (docs/measured.md: on a CPU-only machine a software GPU adapter is ~85× slower than wasm). */
export interface BackendTiming {
  backend: BrowserBackend;
  /** Median wall time of the probe (read-back included) after one untimed warm-up; null when it did not finish in time. */
  ms: number | null;
  /** The adapter or renderer as the browser names it (webgpu, webgl). */
  device?: string;
  /** Set when the browser marks the adapter as a fallback or names a software rasteriser (SwiftShader, llvmpipe). */
  software?: boolean;
  /** Why there is no time (stopped at the deadline, or the probe failed). */
  note?: string;
}
