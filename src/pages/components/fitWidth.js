/**
 * A chart width that fits the page column: `max` on a wide screen, the column on a phone (a chart
 * drawn wider and scaled down would shrink its labels below reading size).
 */
export function fitWidth(max) {
  const main = typeof document !== "undefined" ? document.getElementById("observablehq-main") : null;
  const column =
    main ? main.clientWidth - parseFloat(getComputedStyle(main).paddingLeft) - parseFloat(getComputedStyle(main).paddingRight) : Infinity;
  const viewport = typeof window !== "undefined" ? window.innerWidth - 32 : Infinity;
  return Math.max(240, Math.min(max, column > 0 ? column : Infinity, viewport));
}

/** Observable's `width` is 0 until the column is laid out: a chart that wide draws negative rects. */
export const chartWidth = (width) => Math.max(240, width || 0);
