/**
 * A plain table: `header` is the first row, `rows` arrays of cell texts. Each row gets
 * data-<key> = its first cell (tests and styles find rows by it); `caption` says how numbers were made.
 * Returned in a tableBox.
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
  return tableBox(t, caption);
}

/**
 * A table in a box that scrolls sideways when the table is wider than the column (phones), with its
 * caption under the box (a <caption> would be as wide as the table and scroll out of sight).
 */
export function tableBox(t, caption = "") {
  const scroll = document.createElement("div");
  scroll.className = "deqir-scroll";
  scroll.append(t);
  const box = document.createElement("div");
  box.className = "deqir-table-box";
  box.append(scroll);
  if (caption) {
    const c = document.createElement("div");
    c.className = "deqir-caption";
    c.style.cssText = "text-align:left;font-size:12px;color:var(--theme-foreground-muted);margin:4px 0 0;max-width:640px";
    c.textContent = caption;
    box.append(c);
  }
  return box;
}

/** Milliseconds as "840 ms" or "2.31 s". */
export const formatMs = (v) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`);

/**
 * A collapsed section: `summary` says what is inside (a reader decides from it whether to open),
 * the children are shown when opened. Tables and details on long pages go in one of these.
 */
export function folded(summary, ...children) {
  const d = document.createElement("details");
  d.className = "deqir-folded";
  const s = document.createElement("summary");
  s.textContent = summary;
  s.style.cssText = "cursor:pointer;color:var(--theme-foreground-muted)";
  d.append(s, ...children.filter(Boolean));
  return d;
}
