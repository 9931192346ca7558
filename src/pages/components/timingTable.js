import {formatMs, table} from "./table.js";

/**
 * Costs of each method side by side: rows are {method, nfe, sequentialDepth, iterations, wallMs,
 * psnr, note}; missing values print as "—". `caption` says where and how the times were measured.
 */
export function timingTable(rows, {caption = ""} = {}) {
  const fmt = {
    nfe: (v) => String(v),
    sequentialDepth: (v) => String(v),
    iterations: (v) => String(v),
    wallMs: formatMs,
    psnr: (v) => `${v.toFixed(2)} dB`,
    note: (v) => v,
  };
  const head = {
    method: "method",
    nfe: "network evaluations (NFE)",
    sequentialDepth: "network calls in a row",
    iterations: "iterations",
    wallMs: "wall time",
    psnr: "PSNR to truth",
    note: "",
  };
  const keys = Object.keys(head);
  const cells = rows.map((row) =>
    keys.map((k) =>
      k === "method" ? row.method
      : row[k] == null ? "—"
      : fmt[k](row[k]),
    ),
  );
  return table(
    keys.map((k) => head[k]),
    cells,
    {caption, className: "deqir-timing", key: "method"},
  );
}
