import {imageCanvas} from "./imageCanvas.js";

/**
 * A row of labelled images: items are {label, shape, data, note?}. Used for y, A⁺y, the serial
 * result, the DeqIR result and the ground truth, so that they always sit side by side.
 */
export function imagePanel(items, {scale = 4} = {}) {
  const root = document.createElement("div");
  root.className = "deqir-image-panel";
  root.style.cssText = "display:flex;flex-wrap:wrap;gap:14px;align-items:flex-end";
  for (const it of items) {
    const fig = document.createElement("figure");
    fig.style.cssText = "margin:0;text-align:center";
    fig.dataset.image = it.key ?? it.label;
    fig.append(imageCanvas(it.data, it.shape, {scale, title: it.label}));
    const cap = document.createElement("figcaption");
    cap.style.cssText = "font-size:12px;max-width:140px";
    cap.textContent = it.label;
    if (it.note) {
      const n = document.createElement("div");
      n.style.color = "var(--theme-foreground-muted)";
      n.textContent = it.note;
      cap.append(n);
    }
    fig.append(cap);
    root.append(fig);
  }
  return root;
}
