/** Small labelled form controls without Inputs (no implicit imports, nothing fetched). */
export function select(label, options, value, onChange) {
  const el = document.createElement("label");
  el.style.cssText = "display:inline-flex;gap:6px;align-items:center;margin-right:14px";
  const s = document.createElement("select");
  s.name = label;
  for (const [v, text] of options) {
    const o = document.createElement("option");
    o.value = v;
    o.textContent = text;
    s.append(o);
  }
  s.value = String(value);
  s.onchange = () => onChange(s.value);
  el.append(label, s);
  return el;
}

/**
 * @param {string} label
 * @param {{ min: number, max: number, step?: number, value: number, format?: (v: number) => string }} o
 * @param {(v: number) => void} onChange
 */
export function range(label, {min, max, step = 1, value, format = String}, onChange) {
  const el = document.createElement("label");
  el.style.cssText = "display:inline-flex;gap:6px;align-items:center;margin-right:14px";
  const r = document.createElement("input");
  Object.assign(r, {type: "range", min, max, step, value, name: label});
  const out = document.createElement("output");
  out.textContent = format(+value);
  r.oninput = () => (out.textContent = format(+r.value));
  r.onchange = () => onChange(+r.value);
  el.append(label, r, out);
  return el;
}

/**
 * @param {string} text
 * @param {() => void} onClick
 * @param {{ role?: string }} [options]
 */
export function button(text, onClick, {role} = {}) {
  const b = document.createElement("button");
  b.textContent = text;
  b.onclick = onClick;
  if (role) b.dataset.role = role;
  b.style.marginRight = "8px";
  return b;
}

export function line(role, text = "") {
  const p = document.createElement("div");
  p.dataset.role = role;
  p.textContent = text;
  p.style.cssText = "font-size:13px;margin:4px 0;min-height:1.2em";
  return p;
}

/**
 * A range input usable with Framework's view(): its value is the number, "input" events bubble.
 *
 * @returns {HTMLLabelElement & { value: number }}
 */
export function rangeInput(label, {min, max, step = 1, value}) {
  const el = /** @type {HTMLLabelElement & { value: number }} */ (document.createElement("label"));
  const input = document.createElement("input");
  Object.assign(input, {type: "range", min, max, step, value, name: label});
  const out = document.createElement("output");
  out.textContent = `${label} = ${value}`;
  el.append(input, " ", out);
  el.value = value;
  input.oninput = (ev) => {
    ev.stopPropagation();
    el.value = +input.value;
    out.textContent = `${label} = ${input.value}`;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  };
  return el;
}
