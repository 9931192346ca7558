/**
 * One colour per method on every page (Solving, Benchmarks, Speed, …): a reader who learns that
 * Picard is blue on one chart finds it blue on the next. Every chart that shows methods or solvers
 * colours them through `methodKey` and `methodColour` (a Plot scale), never by Plot's default order.
 *
 * Methods are grouped so a chart stays readable: the DDNM serial chains share a colour (their
 * labels say T and η), DeqIR is coloured by its solver (the solver is what differs between DeqIR
 * rows), initialization optimization has its own.
 */
/** An ordinal Plot colour scale, with its domain and range as arrays (charts read them). @typedef {{ type: 'ordinal', domain: string[], range: string[], tickFormat?: (k: string) => string, legend: boolean }} ColourScale */

export const METHODS = [
  {key: "picard", label: "Picard", colour: "#4269d0"},
  {key: "taa", label: "ParaTAA (taa)", colour: "#efb118"},
  {key: "anderson", label: "Anderson (whole state)", colour: "#3ca9a0"},
  {key: "anderson-per-row", label: "Anderson per row (reference)", colour: "#a463f2"},
  {key: "init-opt", label: "DeqIR + init-opt", colour: "#ff725c"},
  {key: "ddnm", label: "DDNM / DDNM⁺ serial", colour: "#3ca951"},
  {key: "ddnm-plain", label: "plain DDNM", colour: "#9c6b4e"},
  {key: "ddrm", label: "DDRM", colour: "#ff8ab7"},
  {key: "pinv", label: "A⁺y", colour: "#9498a0"},
];

const BY_KEY = new Map(METHODS.map((m) => [m.key, m]));

/**
 * The colour group of any method or solver name the site shows: a solver kind ("picard", "taa",
 * "anderson", "anderson-per-row"), a benchmark method ("DeqIR Picard (DDIM-pinv start) T=20",
 * "DDRM serial T=20 η=0.85 η_b=1", …), a solver-benchmark variant ("Anderson per row (reference, m=5)")
 * or a depth-benchmark variant ("Picard" → picard; "ParaTAA (m=3)", "ParaTAA (m=2)" → taa, the second a
 * lighter amber through variantColour; "reference per-row Anderson (m=5, x_T start)" → anderson-per-row).
 * The order of the tests matters: "DeqIR reference (per-row Anderson …)" is per-row Anderson.
 */
export function methodKey(name) {
  const s = String(name);
  if (/init-opt|initiali[sz]ation opt/i.test(s)) return "init-opt";
  if (/\btaa\b|paraTAA/i.test(s)) return "taa";
  if (/per[- ]row/i.test(s)) return "anderson-per-row";
  if (/anderson/i.test(s)) return "anderson";
  if (/picard/i.test(s)) return "picard";
  if (/plain/i.test(s)) return "ddnm-plain";
  if (/DDRM/.test(s)) return "ddrm";
  if (/^A(\+|⁺)y$/.test(s.trim())) return "pinv";
  if (/DDNM|serial/i.test(s)) return "ddnm";
  return "ddnm";
}

/** The colour of one method or solver name (for marks drawn outside a Plot colour scale). */
export const colourOf = (name) => BY_KEY.get(methodKey(name)).colour;

/**
 * A Plot colour scale over the groups of the given names (in the site's fixed order), labelled in
 * the legend: use with `stroke: (d) => methodKey(d.method)` (or fill).
 *
 * @param {Iterable<string>} names
 * @param {{ legend?: boolean }} [options]
 * @returns {ColourScale}
 */
export function methodColour(names, {legend = true} = {}) {
  const present = new Set(/** @type {string[]} */ ([...names].map(methodKey)));
  const used = METHODS.filter((m) => present.has(m.key));
  return {
    type: "ordinal",
    domain: used.map((m) => m.key),
    range: used.map((m) => m.colour),
    tickFormat: (k) => BY_KEY.get(k)?.label ?? k,
    legend,
  };
}

/** `hex` mixed towards white by `t` (0 … 1). */
function lighter(hex, t) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c + (255 - c) * t);
  return `#${[(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => mix(c).toString(16).padStart(2, "0")).join("")}`;
}

/**
 * A Plot colour scale over individual variant names (e.g. "Picard" and "Picard, DDIM-pinv init"):
 * each keeps its group's colour, the second and later variants of a group a lighter shade of it,
 * so variants stay apart while every Picard is still blue. Domain in the site's fixed group order.
 *
 * @param {Iterable<string>} names
 * @param {{ legend?: boolean }} [options]
 * @returns {ColourScale}
 */
export function variantColour(names, {legend = true} = {}) {
  const unique = [...new Set(names)];
  const order = new Map(METHODS.map((m, i) => [m.key, i]));
  const sorted = unique.map((n, i) => ({n, i, k: methodKey(n)})).sort((a, b) => order.get(a.k) - order.get(b.k) || a.i - b.i);
  const seen = new Map();
  const range = sorted.map(({k}) => {
    const j = seen.get(k) ?? 0;
    seen.set(k, j + 1);
    return j === 0 ? BY_KEY.get(k).colour : lighter(BY_KEY.get(k).colour, Math.min(0.6, 0.3 * j));
  });
  return {type: "ordinal", domain: sorted.map((d) => d.n), range, legend};
}
