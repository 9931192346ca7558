import katex from "katex";

/** Rendered math (KaTeX from node_modules; its CSS with inlined fonts is linked by the page). */
export function tex(source, {display = false} = {}) {
  const el = document.createElement(display ? "div" : "span");
  katex.render(source, el, {displayMode: display, throwOnError: true, output: "htmlAndMathml"});
  return el;
}

/** Display math. */
export const texBlock = (source) => tex(source, {display: true});
