import * as d3 from "d3";

/**
 * What each state needs, for T steps. Row k is the state after step k (X_k, x_0 last).
 *  - serial: columns are the states a step reads (x_T, X_1, ..., X_{T-1}); row k needs column k,
 *    the state before it: state k − 1 feeds state k, one after another.
 *  - unrolled: columns are the network evaluations eps_j = eps(X_{j-1}, t_j); row k needs
 *    eps_1..eps_k (the closed form), a lower-triangular pattern, which is why Picard iteration is
 *    exact after T iterations.
 * Both axes carry tick labels, and a two-entry legend says what a filled cell means.
 */
export function dependencyMatrix(T, {view = "unrolled", size = 320} = {}) {
  const cell = Math.max(4, Math.floor(size / T));
  const m = 74;
  const w = T * cell + m + 10;
  const h = T * cell + m + 34;
  const svg = d3
    .create("svg")
    .attr("width", w)
    .attr("height", h)
    .attr("viewBox", [0, 0, w, h])
    .attr("role", "img")
    .style("max-width", "100%")
    .style("height", "auto");
  svg.append("title").text(`dependency matrix for T = ${T} (${view})`);
  const g = svg.append("g").attr("transform", `translate(${m},${m})`);
  const serial = view === "serial";
  const deps = (k, j) => (serial ? j === k : j <= k);
  const colName = (j) =>
    serial ?
      j === 0 ?
        "x_T"
      : `X${sub(j)}`
    : `ε${sub(j + 1)}`;
  const cells = d3.cross(d3.range(T), d3.range(T)).map(([k, j]) => ({k, j, on: deps(k, j)}));
  const rect = g
    .selectAll("rect")
    .data(cells)
    .join("rect")
    .attr("x", (d) => d.j * cell)
    .attr("y", (d) => d.k * cell)
    .attr("width", cell - 1)
    .attr("height", cell - 1)
    .attr("fill", (d) => (d.on ? "var(--theme-foreground-focus)" : "var(--theme-foreground-faintest)"));
  rect
    .append("title")
    .text((d) =>
      serial ?
        `state X${sub(d.k + 1)} ${d.on ? "is computed from" : "does not read"} ${colName(d.j)}${d.on ? ` (through ε${sub(d.k + 1)} = ε(${colName(d.j)}, t${sub(d.k + 1)}))` : ""}`
      : `state X${sub(d.k + 1)} ${d.on ? "needs" : "does not need"} ε${sub(d.j + 1)} (evaluated at ${d.j === 0 ? "x_T" : `X${sub(d.j)}`})`,
    );
  // Hovering a row highlights what that state waits for.
  rect.on("mouseenter", (_, d) => rect.attr("opacity", (e) => (e.k === d.k ? 1 : 0.35))).on("mouseleave", () => rect.attr("opacity", 1));
  const text = (s, x, y, {rotate = 0, anchor = "middle", size = 11} = {}) =>
    svg
      .append("text")
      .attr("transform", `translate(${x},${y}) rotate(${rotate})`)
      .attr("font-size", size)
      .attr("fill", "currentColor")
      .attr("text-anchor", anchor)
      .text(s);
  // Tick labels: every one when they fit, else the first, every nth and the last.
  const every = Math.max(1, Math.ceil(14 / cell));
  const ticks = d3.range(T).filter((i) => i % every === 0 || i === T - 1);
  for (const j of ticks) text(colName(j), m + j * cell + cell / 2, m - 4, {size: 9});
  for (const k of ticks)
    text(k === T - 1 ? `X${sub(k + 1)}=x₀` : `X${sub(k + 1)}`, m - 4, m + k * cell + cell / 2 + 3, {anchor: "end", size: 9});
  text(serial ? "state the step reads →" : "network evaluation εⱼ (at Xⱼ₋₁) →", m + (T * cell) / 2, m - 22);
  text("state after step k →", m - 46, m + (T * cell) / 2, {rotate: -90});
  // Legend.
  const ly = m + T * cell + 14;
  const key = (x, fill, label) => {
    svg.append("rect").attr("x", x).attr("y", ly).attr("width", 10).attr("height", 10).attr("fill", fill);
    text(label, x + 14, ly + 9, {anchor: "start", size: 10});
  };
  key(m, "var(--theme-foreground-focus)", serial ? "reads" : "needs");
  key(m + 70, "var(--theme-foreground-faintest)", serial ? "does not read" : "does not need");
  return svg.node();
}

/** Subscript digits. */
const sub = (n) => String(n).replace(/\d/g, (c) => "₀₁₂₃₄₅₆₇₈₉"[+c]);
