import * as d3 from "d3";

/**
 * Which network evaluations each state depends on, for T steps. Row k is the state after step k
 * (x_0 last), column j is eps_j = eps(x_{t_j}, t_j). The serial view shows the chain (step k reads
 * only the state before it); the unrolled view shows the closed form: state k needs eps_1..eps_k,
 * a lower-triangular pattern, which is why Picard iteration is exact after T iterations.
 */
export function dependencyMatrix(T, {view = "unrolled", size = 320} = {}) {
  const cell = Math.max(4, Math.floor(size / T));
  const m = 70;
  const side = T * cell + m + 10;
  const svg = d3.create("svg").attr("width", side).attr("height", side).attr("viewBox", [0, 0, side, side]).attr("role", "img").style("max-width", "100%").style("height", "auto");
  svg.append("title").text(`dependency matrix for T = ${T} (${view})`);
  const g = svg.append("g").attr("transform", `translate(${m},${m})`);
  const deps = (k, j) => (view === "serial" ? j === k : j <= k);
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
  rect.append("title").text((d) => `state after step ${d.k + 1} ${d.on ? "needs" : "does not need"} eps_${d.j + 1}`);
  // Hovering a row highlights the evaluations that state waits for.
  rect.on("mouseenter", (_, d) => rect.attr("opacity", (e) => (e.k === d.k ? 1 : 0.35))).on("mouseleave", () => rect.attr("opacity", 1));
  const label = (text, x, y, rotate = 0) =>
    svg.append("text").attr("transform", `translate(${x},${y}) rotate(${rotate})`).attr("font-size", 11).attr("fill", "currentColor").attr("text-anchor", "middle").text(text);
  label("network evaluation eps_j (j = 1 … T) →", m + (T * cell) / 2, m - 12);
  label("state after step k (k = 1 … T, x₀ last) →", m - 14, m + (T * cell) / 2, -90);
  return svg.node();
}
