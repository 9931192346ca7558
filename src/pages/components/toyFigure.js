import * as d3 from "d3";
import {TOY_COMPONENTS} from "../_deqir/deqir-client.js";
import {select} from "./controls.js";
import {fitWidth} from "./fitWidth.js";
import {freshness} from "./liveJob.js";
import {player} from "./player.js";
import {client} from "./site.js";

/**
 * The 2-D toy: three Gaussian blobs (the data), the line where the measurement fixes the first
 * coordinate, the serial trajectory from x_T to x_0 (black), and one solver's iterate as a polyline
 * (colour), iteration by iteration. Drag x_T and everything is recomputed in a cpu worker (the toy's
 * tensors are tiny; the cpu backend answers in milliseconds).
 */
export function toyFigure(precomputed, {width = fitWidth(560)} = {}) {
  const height = width * 0.8;
  const x = d3.scaleLinear([-2.2, 2.2], [30, width - 10]);
  const y = d3.scaleLinear([-1.8, 1.8], [height - 25, 10]);
  let req = {...precomputed.request};
  let result = precomputed.result;
  let solver = "picard";
  let frame = 0; // open on the first iterate: the gap to the serial path is the point
  const root = document.createElement("div");
  root.className = "deqir-toy";
  const fresh = freshness(null);
  fresh.precomputed("computed when the site was built, for the x_T and measurement drawn here; drag either to recompute on this device.");
  const note = document.createElement("div");
  note.dataset.role = "toy-status";
  note.style.fontSize = "13px";
  // viewBox: on a narrow screen the figure scales down to the column (d3.drag maps pointers through it).
  const svg = d3
    .create("svg")
    .attr("width", width)
    .attr("height", height)
    .attr("viewBox", [0, 0, width, height])
    .attr("role", "img")
    .style("touch-action", "none")
    .style("max-width", "100%")
    .style("height", "auto");
  svg.append("title").text("2-D toy: serial trajectory and solver iterates");
  svg
    .append("g")
    .attr("transform", `translate(0,${height - 25})`)
    .call(d3.axisBottom(x).ticks(8));
  svg.append("g").attr("transform", `translate(30,0)`).call(d3.axisLeft(y).ticks(6));
  svg
    .append("g")
    .selectAll("circle")
    .data(TOY_COMPONENTS)
    .join("circle")
    .attr("cx", (c) => x(c.mean[0]))
    .attr("cy", (c) => y(c.mean[1]))
    .attr("r", (c) => x(2 * Math.sqrt(/** @type {number} */ (c.variance))) - x(0))
    .attr("fill", "var(--theme-foreground-faintest)")
    .attr("stroke", "var(--theme-foreground-faint)");
  const measure = svg
    .append("line")
    .attr("y1", y(-1.8))
    .attr("y2", y(1.8))
    .attr("stroke", "var(--theme-red)")
    .attr("stroke-dasharray", "5 4");
  const line = d3.line(
    (p) => x(p[0]),
    (p) => y(p[1]),
  );
  const serialPath = svg.append("path").attr("fill", "none").attr("stroke", "currentColor").attr("stroke-width", 2.5).attr("opacity", 0.5);
  const iterPath = svg.append("path").attr("fill", "none").attr("stroke", "var(--theme-foreground-focus)").attr("stroke-width", 1.5);
  const iterDots = svg.append("g").attr("fill", "var(--theme-foreground-focus)");
  const handle = svg
    .append("circle")
    .attr("r", 8)
    .attr("fill", "var(--theme-foreground-focus)")
    .attr("stroke", "white")
    .style("cursor", "grab");
  handle.append("title").text("x_T: drag me");
  const obsHandle = svg.append("rect").attr("width", 12).attr("height", 12).attr("fill", "var(--theme-red)").style("cursor", "ew-resize");
  obsHandle.append("title").text("the measured first coordinate: drag sideways");

  const draw = () => {
    const paths = result.iterations[solver].paths;
    frame = Math.min(frame, paths.length - 1);
    const p = paths[frame];
    measure.attr("x1", x(req.observed)).attr("x2", x(req.observed));
    obsHandle.attr("x", x(req.observed) - 6).attr("y", 4);
    serialPath.attr("d", line(result.serial));
    iterPath.attr("d", line(p));
    iterDots
      .selectAll("circle")
      .data(p)
      .join("circle")
      .attr("r", 2.5)
      .attr("cx", (q) => x(q[0]))
      .attr("cy", (q) => y(q[1]));
    handle.attr("cx", x(req.xT[0])).attr("cy", y(req.xT[1]));
    const rr = result.iterations[solver].relResidual[frame];
    note.textContent = `${solver}, iteration ${frame + 1}: relative residual ${rr.toExponential(1)}. Grey: the serial chain (T = ${req.T}); blue: the iterate.`;
  };

  // Latest request wins: while one toy solve runs, only the newest x_T waits behind it.
  let busy = false;
  let queued = false;
  const recompute = async () => {
    fresh.stale("Recomputing for the x_T and measurement you dragged to");
    if (busy) return void (queued = true);
    busy = true;
    try {
      const c = await client(["cpu"]);
      const reply = await c.run({kind: "toy", request: req});
      result = reply.result;
      rebuildPlayer();
      draw();
      if (!queued) fresh.live("computed on this device (a cpu worker) for the x_T and measurement shown.");
    } catch (e) {
      note.textContent = `error: ${e.message}`;
      fresh.stale("The recomputation failed");
    } finally {
      busy = false;
      if (queued) {
        queued = false;
        recompute();
      }
    }
  };
  handle.call(
    /** @type {any} */ (d3.drag()).on("drag", (ev) => {
      req = {...req, xT: [x.invert(ev.x), y.invert(ev.y)]};
      handle.attr("cx", ev.x).attr("cy", ev.y);
      recompute();
    }),
  );
  obsHandle.call(
    /** @type {any} */ (d3.drag()).on("drag", (ev) => {
      req = {...req, observed: Math.max(-2, Math.min(2, x.invert(ev.x)))};
      draw();
      recompute();
    }),
  );
  const scrubBox = document.createElement("div");
  const rebuildPlayer = () => {
    /** @type {HTMLDivElement & { stop?: () => void }} */ (scrubBox.querySelector("div"))?.stop?.();
    frame = Math.min(frame, result.iterations[solver].paths.length - 1);
    scrubBox.replaceChildren(player(result.iterations[solver].paths.length, (i) => ((frame = i), draw()), {start: frame}));
  };
  const solverSelect = select(
    "solver",
    [
      ["picard", "Picard"],
      ["anderson", "Anderson (triangular)"],
    ],
    solver,
    (v) => {
      solver = v;
      rebuildPlayer();
      draw();
    },
  );
  rebuildPlayer();
  draw();
  root.append(solverSelect, scrubBox, svg.node(), note, fresh.el);
  return root;
}
