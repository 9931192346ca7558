/**
 * A scrubber with a play button over 0..n-1: calls onFrame(i) whenever the frame changes. Playing
 * loops once to the end and stops.
 */
export function player(n, onFrame, {label = "iteration", start = n - 1, delay = 600, format = (i) => String(i + 1)} = {}) {
  const root = document.createElement("div");
  root.style.cssText = "display:flex;gap:8px;align-items:center;margin:6px 0";
  const play = document.createElement("button");
  play.textContent = "▶ play";
  play.dataset.role = "play";
  const slider = document.createElement("input");
  Object.assign(slider, {type: "range", min: 0, max: Math.max(0, n - 1), step: 1, value: start, name: label});
  const out = document.createElement("output");
  let timer = null;
  const set = (i) => {
    slider.value = i;
    out.textContent = `${label} ${format(i)} of ${n}`;
    onFrame(i);
  };
  slider.oninput = () => set(+slider.value);
  play.onclick = () => {
    if (timer) return stop();
    play.textContent = "❚❚ pause";
    let i = +slider.value >= n - 1 ? 0 : +slider.value;
    set(i);
    timer = setInterval(() => (++i >= n ? stop() : set(i)), delay);
  };
  const stop = () => {
    clearInterval(timer);
    timer = null;
    play.textContent = "▶ play";
  };
  root.append(play, slider, out);
  set(Math.min(start, n - 1));
  /** @type {HTMLDivElement & { stop?: () => void }} */ (root).stop = stop;
  return root;
}
