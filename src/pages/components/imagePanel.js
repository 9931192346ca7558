import {imageCanvas} from "./imageCanvas.js";

/**
 * One labelled element (an image, a heatmap, a picker) with an optional muted note under it.
 *
 * @param {any} el
 * @param {string} label
 * @param {{ note?: any, key?: string }} [options]
 */
export function figure(el, label, {note, key} = {}) {
  const fig = document.createElement("figure");
  fig.style.cssText = "margin:0;text-align:center";
  fig.dataset.image = key ?? label;
  const cap = document.createElement("figcaption");
  cap.style.cssText = "font-size:12px;max-width:170px";
  cap.textContent = label;
  if (note) {
    const n = document.createElement("div");
    n.style.color = "var(--theme-foreground-muted)";
    n.textContent = note;
    cap.append(n);
  }
  fig.append(el, cap);
  return fig;
}

/** A row of figures side by side, bottoms aligned. */
export function figureRow(figures) {
  const root = document.createElement("div");
  root.className = "deqir-image-panel";
  root.style.cssText = "display:flex;flex-wrap:wrap;gap:14px;align-items:flex-end;margin:10px 0";
  root.append(...figures);
  return root;
}

/**
 * A row of labelled images: items are {label, shape, data, note?, key?}. Used for y, A⁺y, the serial
 * result, the DeqIR result and the ground truth, so that they always sit side by side.
 */
export function imagePanel(items, {scale = 4} = {}) {
  return figureRow(items.map((it) => figure(imageCanvas(it.data, it.shape, {scale, title: it.label}), it.label, it)));
}
