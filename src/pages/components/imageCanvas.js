import * as d3 from "d3";
import {decodeImage} from "../_deqir/deqir-client.js";

/**
 * A pixelated canvas of an [H, W, C] array; C > 1 (e.g. compressed-sensing coefficients) is laid out
 * as C tiles side by side. `rgb(i)` gives the colour of flat index i. Low-resolution arrays (7x7 for
 * SR x4) are scaled to the same height as the 28x28 images.
 *
 * @param {any} shape
 * @param {any} rgb
 * @param {{ scale?: number, title?: string }} [options]
 */
export function pixelCanvas(shape, rgb, {scale = 4, title} = {}) {
  const [H, W, C = 1] = shape;
  const canvas = document.createElement("canvas");
  canvas.width = W * C;
  canvas.height = H;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(W * C, H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) img.data.set([...rgb((y * W + x) * C + c), 255], 4 * (y * W * C + c * W + x));
  ctx.putImageData(img, 0, 0);
  // Many tiles (a colour gradient's three channels, CS coefficients) stay within two images' width, for phones.
  const px = Math.max(1, Math.min(Math.round((28 * scale) / H), C > 1 ? Math.floor((56 * scale) / (W * C)) : Infinity));
  canvas.style.width = `${W * C * px}px`;
  canvas.style.height = `${H * px}px`;
  canvas.style.imageRendering = "pixelated";
  if (title) canvas.title = title;
  return canvas;
}

/**
 * One image: `data` is numbers in [-1, 1] (clipped) or a base64 string of 8-bit levels. A [H, W, 3]
 * shape is drawn as an RGB image (the colour prior's), any other channel count as grey tiles.
 */
export function imageCanvas(data, shape, opts = {}) {
  const bytes =
    typeof data === "string" ? decodeImage(data) : Uint8Array.from(data, (v) => Math.round((Math.min(1, Math.max(-1, v)) + 1) * 127.5));
  if (shape[2] === 3) return pixelCanvas([shape[0], shape[1], 1], (i) => [bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2]], opts);
  return pixelCanvas(shape, (i) => [bytes[i], bytes[i], bytes[i]], opts);
}

/**
 * Signed values (a gradient) on a diverging scale symmetric about 0: red positive, blue negative,
 * white 0. `max` fixes the scale (default: the largest |value|), so two maps can share one.
 *
 * @param {any} data
 * @param {any} shape
 * @param {{ max?: number, [k: string]: any }} [options]
 */
export function heatmapCanvas(data, shape, {max, ...opts} = {}) {
  const m = max ?? (d3.max(data, Math.abs) || 1);
  const color = (v) => {
    const c = d3.rgb(d3.interpolateRdBu(0.5 - Math.max(-1, Math.min(1, v / m)) / 2));
    return [c.r, c.g, c.b];
  };
  return pixelCanvas(shape, (i) => color(data[i]), opts);
}

/**
 * A vertical colour bar for `heatmapCanvas`'s diverging scale: +max (red) at the top, 0 (white) in the
 * middle, −max (blue) at the bottom, with those three values written beside it.
 */
export function colourBar(max, {height = 112, width = 10} = {}) {
  const H = Math.max(40, Math.round(height));
  const svg = d3
    .create("svg")
    .attr("width", width + 46)
    .attr("height", H)
    .attr("role", "img")
    .attr("aria-label", `colour scale from ${-max} to ${max}`)
    .style("overflow", "visible");
  const id = `deqir-bar-${Math.random().toString(36).slice(2)}`;
  const grad = svg.append("defs").append("linearGradient").attr("id", id).attr("x1", 0).attr("x2", 0).attr("y1", 0).attr("y2", 1);
  for (let i = 0; i <= 10; i++)
    grad
      .append("stop")
      .attr("offset", `${i * 10}%`)
      .attr("stop-color", d3.interpolateRdBu(i / 10));
  svg
    .append("rect")
    .attr("width", width)
    .attr("height", H)
    .attr("fill", `url(#${id})`)
    .attr("stroke", "currentColor")
    .attr("stroke-opacity", 0.3);
  const fmt = (v) => (v === 0 ? "0" : v.toExponential(1));
  const label = (text, y, baseline) =>
    svg
      .append("text")
      .attr("x", width + 3)
      .attr("y", y)
      .attr("font-size", 9)
      .attr("fill", "currentColor")
      .attr("dominant-baseline", baseline)
      .text(text);
  label(`+${fmt(max || 0)}`, 0, "hanging");
  label("0", H / 2, "middle");
  label(`−${fmt(max || 0)}`, H, "auto");
  return svg.node();
}
