/**
 * Draw an inpainting mask: dragging paints pixels as missing (shift-drag restores them). The mask
 * is H*W, 1 = observed, as the inpainting operator takes it. Calls onChange(mask) when a stroke ends.
 * `background` is the image in [-1, 1], `channels` values a pixel (1 grey, 3 RGB).
 */
export function maskEditor(mask, background, {size = 28, channels = 1, scale = Math.round(168 / size), onChange}) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  canvas.dataset.role = "mask-editor";
  canvas.style.cssText = `width:${size * scale}px;height:${size * scale}px;image-rendering:pixelated;cursor:crosshair;touch-action:none;border:1px solid var(--theme-foreground-faint)`;
  const ctx = canvas.getContext("2d");
  const draw = () => {
    const img = ctx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const v = (c) => Math.round((background[channels * i + Math.min(c, channels - 1)] + 1) * 127.5);
      img.data.set(mask[i] ? [v(0), v(1), v(2), 255] : [200, 40, 60, 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  };
  let painting = false;
  const paint = (ev) => {
    const r = canvas.getBoundingClientRect();
    const x = Math.floor(((ev.clientX - r.left) / r.width) * size);
    const y = Math.floor(((ev.clientY - r.top) / r.height) * size);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx,
          yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < size && yy < size) mask[yy * size + xx] = ev.shiftKey ? 1 : 0;
      }
    draw();
  };
  canvas.onpointerdown = (ev) => {
    painting = true;
    canvas.setPointerCapture(ev.pointerId);
    paint(ev);
  };
  canvas.onpointermove = (ev) => painting && paint(ev);
  canvas.onpointerup = () => {
    painting = false;
    onChange(mask);
  };
  draw();
  return canvas;
}
