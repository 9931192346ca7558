/**
 * Costs of each method side by side: rows are {method, nfe, sequentialDepth, iterations, wallMs,
 * psnr, note}; missing values print as "—". `caption` says where and how the times were measured.
 */
export function timingTable(rows, {caption = ""} = {}) {
  const fmt = {
    nfe: (v) => String(v),
    sequentialDepth: (v) => String(v),
    iterations: (v) => String(v),
    wallMs: (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`),
    psnr: (v) => `${v.toFixed(2)} dB`,
    note: (v) => v
  };
  const head = {method: "method", nfe: "network evaluations (NFE)", sequentialDepth: "network calls in a row", iterations: "iterations", wallMs: "wall time", psnr: "PSNR to truth", note: ""};
  const table = document.createElement("table");
  table.className = "deqir-timing";
  const tr = (cells, tag) => {
    const r = document.createElement("tr");
    for (const c of cells) {
      const e = document.createElement(tag);
      e.textContent = c;
      r.append(e);
    }
    return r;
  };
  const keys = Object.keys(head);
  table.append(tr(keys.map((k) => head[k]), "th"));
  for (const row of rows) {
    const r = tr(keys.map((k) => (k === "method" ? row.method : row[k] == null ? "—" : fmt[k](row[k]))), "td");
    r.dataset.method = row.method;
    table.append(r);
  }
  if (caption) {
    const c = document.createElement("caption");
    c.style.cssText = "caption-side:bottom;text-align:left;font-size:12px;color:var(--theme-foreground-muted)";
    c.textContent = caption;
    table.append(c);
  }
  return table;
}
