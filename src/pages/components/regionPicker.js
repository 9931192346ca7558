import {imageCanvas} from "./imageCanvas.js";

/**
 * An image on which the reader drags a rectangle (or clicks a pixel) to choose an output region.
 * `rect` is {x0, y0, x1, y1} in pixels, half-open; onChange(rect) fires when the drag ends.
 */
export function regionPicker(data, shape, rect, {scale = 6, onChange}) {
  const [H, W] = shape;
  const wrap = document.createElement("div");
  wrap.dataset.role = "region-picker";
  wrap.style.cssText = `position:relative;width:${W * scale}px;height:${H * scale}px;cursor:crosshair;touch-action:none`;
  const img = imageCanvas(data, shape, {scale: (scale * H) / 28});
  img.style.cssText += ";position:absolute;left:0;top:0";
  const box = document.createElement("div");
  box.style.cssText = "position:absolute;border:2px solid #f5a623;box-sizing:border-box;pointer-events:none";
  const show = (r) =>
    Object.assign(box.style, {
      left: `${Math.min(r.x0, r.x1) * scale}px`,
      top: `${Math.min(r.y0, r.y1) * scale}px`,
      width: `${Math.abs(r.x1 - r.x0) * scale}px`,
      height: `${Math.abs(r.y1 - r.y0) * scale}px`,
    });
  const pixel = (ev) => {
    const b = wrap.getBoundingClientRect();
    return [
      Math.min(W - 1, Math.max(0, Math.floor((ev.clientX - b.left) / scale))),
      Math.min(H - 1, Math.max(0, Math.floor((ev.clientY - b.top) / scale))),
    ];
  };
  let anchor = null;
  const current = (ev) => {
    const [x, y] = pixel(ev);
    return {x0: Math.min(anchor[0], x), y0: Math.min(anchor[1], y), x1: Math.max(anchor[0], x) + 1, y1: Math.max(anchor[1], y) + 1};
  };
  wrap.onpointerdown = (ev) => {
    anchor = pixel(ev);
    wrap.setPointerCapture(ev.pointerId);
    show(current(ev));
  };
  wrap.onpointermove = (ev) => anchor && show(current(ev));
  wrap.onpointerup = (ev) => {
    if (!anchor) return;
    const r = current(ev);
    anchor = null;
    onChange(r);
  };
  show(rect);
  wrap.append(img, box);
  return wrap;
}
