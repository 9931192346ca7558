/**
 * A plain table: `header` is the first row, `rows` arrays of cell texts. Each row gets
 * data-<key> = its first cell (tests and styles find rows by it); `caption` says how numbers were made.
 * Returned inside a box that scrolls sideways when the table is wider than the column (phones).
 */
export function table(header, rows, {caption = "", className = "deqir-table", key = "key"} = {}) {
  const t = document.createElement("table");
  t.className = className;
  const tr = (cells, tag) => {
    const r = document.createElement("tr");
    for (const c of cells) {
      const e = document.createElement(tag);
      e.textContent = c;
      r.append(e);
    }
    return r;
  };
  t.append(tr(header, "th"));
  for (const cells of rows) {
    const r = tr(cells, "td");
    r.dataset[key] = cells[0];
    t.append(r);
  }
  if (caption) {
    const c = document.createElement("caption");
    c.style.cssText = "caption-side:bottom;text-align:left;font-size:12px;color:var(--theme-foreground-muted)";
    c.textContent = caption;
    t.append(c);
  }
  const box = document.createElement("div");
  box.className = "deqir-scroll";
  box.append(t);
  return box;
}

/** Milliseconds as "840 ms" or "2.31 s". */
export const formatMs = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);
