// Shared set-up for every page: the files the site serves itself, the benchmark images, and one
// lazily started DeqIR worker per backend order (started on first use, never at page load).
import {FileAttachment} from "observablehq:stdlib";
import {BROWSER_BACKENDS, DeqirClient, SITE_PRIORS, subsetFromFiles, toSignedUnit} from "../_deqir/deqir-client.js";

// Framework needs literal file names; scripts/bundleSite.ts copies the files SITE_PRIORS names
// (weights, subset images and labels) under these names, and test/site/sitePriors.test.ts checks both agree.
const priorFiles = {
  fashion: {
    weights: FileAttachment("../_deqir/fashion-unet-small.safetensors"),
    images: FileAttachment("../_deqir/fashion-mnist-test-256-images-idx3-ubyte"),
    labels: FileAttachment("../_deqir/fashion-mnist-test-256-labels-idx1-ubyte"),
  },
  emoji: {
    weights: FileAttachment("../_deqir/emoji-unet.safetensors"),
    images: FileAttachment("../_deqir/emoji/emoji32-test-256-images-idx4-ubyte.gz"),
    labels: FileAttachment("../_deqir/emoji/emoji32-test-256-labels-idx1-ubyte"),
  },
};

const files = {
  worker: FileAttachment("../_deqir/deqir-worker.js"),
  wasm: {
    "tfjs-backend-wasm.wasm": FileAttachment("../_deqir/wasm/tfjs-backend-wasm.wasm"),
    "tfjs-backend-wasm-simd.wasm": FileAttachment("../_deqir/wasm/tfjs-backend-wasm-simd.wasm"),
    "tfjs-backend-wasm-threaded-simd.wasm": FileAttachment("../_deqir/wasm/tfjs-backend-wasm-threaded-simd.wasm"),
  },
};

const datasets = new Map();
/**
 * A prior's shipped subset ("fashion" by default, or "emoji"), fetched on first use: the grey first
 * view never loads the colour files. {set, shape, image(i), label(i), prior}.
 */
export function dataset(name = "fashion") {
  if (!datasets.has(name)) {
    const prior = SITE_PRIORS[name];
    const f = priorFiles[name];
    const p = Promise.all([f.images.arrayBuffer(), f.labels.arrayBuffer()]).then(async ([img, lab]) => {
      const set = await subsetFromFiles(prior.subset, new Uint8Array(img), new Uint8Array(lab));
      return {
        set,
        prior,
        shape: [...prior.shape],
        image: (i) => toSignedUnit(set, [i]),
        label: (i) => prior.subset.classNames[set.labels[i]],
      };
    });
    p.catch(() => datasets.delete(name));
    datasets.set(name, p);
  }
  return datasets.get(name);
}

/**
 * Backend order from the URL: ?backend=NAME forces NAME (then falls back in order: webgpu → webgl →
 * wasm → cpu); without it the worker times every backend on first use and keeps the fastest.
 */
export function backendOrder(search = location.search) {
  const want = new URLSearchParams(search).get("backend");
  return BROWSER_BACKENDS.slice(
    Math.max(
      0,
      BROWSER_BACKENDS.findIndex((b) => b === want),
    ),
  );
}

/** Whether the URL forces a backend (?backend=NAME): no measurement then. */
export const backendForced = (search = location.search) => {
  const want = new URLSearchParams(search).get("backend");
  return BROWSER_BACKENDS.some((b) => b === want);
};

/** The measured choice is kept for the browser session, so other pages start without measuring again. */
const MEMORY_KEY = "deqir-backend-choice";
function remembered() {
  try {
    const k = JSON.parse(sessionStorage.getItem(MEMORY_KEY) ?? "null");
    return k && typeof k.backend === "string" && Array.isArray(k.timings) && Array.isArray(k.reasons) ? k : undefined;
  } catch {
    return undefined;
  }
}
function remember(c) {
  try {
    sessionStorage.setItem(MEMORY_KEY, JSON.stringify({backend: c.backend, timings: c.timings, reasons: c.reasons}));
  } catch {
    // private modes may refuse storage: the next page measures again
  }
}

const clients = new Map();
// Clients whose backend choice was remembered from earlier in this browser session, not measured now.
const fromSession = new WeakSet();
/**
 * One worker per backend order, started on first use; the 2-D toy asks for ["cpu"] (tiny tensors run
 * fastest there). `measure`: time the backends and keep the fastest (default unless ?backend= forces one).
 */
export function client(order = backendOrder(), measure = order.length === 4 && !backendForced()) {
  const key = `${order.join(",")}${measure ? ":measure" : ""}`;
  if (!clients.has(key)) {
    const known = measure ? remembered() : undefined;
    const abs = (f) => new URL(f.href, location.href).href;
    const urls = (f) => ({weights: abs(f.weights), images: abs(f.images), labels: abs(f.labels)});
    const p = DeqirClient.start({
      workerUrl: files.worker.href,
      wasmPaths: Object.fromEntries(Object.entries(files.wasm).map(([k, f]) => [k, abs(f)])),
      priors: {fashion: urls(priorFiles.fashion), emoji: urls(priorFiles.emoji)},
      order,
      measure,
      known,
    }).then((c) => {
      if (measure && !known && c.measured) remember(c);
      if (known && c.measured) fromSession.add(c);
      return c;
    });
    p.catch(() => clients.delete(key));
    clients.set(key, p);
  }
  return clients.get(key);
}

const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`);
const GPU = new Set(["webgpu", "webgl"]);

/** An adapter's name, short: the software rasteriser's own name when there is one. */
const deviceName = (d) =>
  d.match(/swiftshader|llvmpipe|lavapipe|softpipe|basic render driver/i)?.[0].replace(/^swiftshader$/i, "SwiftShader") ??
  (d.length > 48 ? `${d.slice(0, 47)}…` : d);

/** "12 ms", or why there is no time, with the adapter and whether the browser calls it software. */
function timingText(t) {
  const what =
    t.device ? ` (${t.software ? "software adapter: " : ""}${deviceName(t.device)})`
    : t.software ? " (software adapter)"
    : "";
  return `${t.backend}${what} ${t.ms == null ? (t.note ?? "no time") : ms(t.ms)}`;
}

/**
 * Which backend runs, why, and how to choose another, as one sentence for the page: the measured
 * times when the worker measured, the URL when it forced one, the reasons others were skipped.
 */
export function backendSentence(c) {
  const others = BROWSER_BACKENDS.filter((b) => b !== c.backend)
    .map((b) => `?backend=${b}`)
    .join(", ");
  const skipped = c.reasons.length ? ` Skipped ${c.reasons.join("; ")}.` : "";
  let why;
  if (c.timings?.length) {
    why = `, the fastest measured on this device${fromSession.has(c) ? " (earlier in this browser session)" : ""} for ${PROBE_WORDS}: ${[
      ...c.timings,
    ]
      .sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity))
      .map(timingText)
      .join(" · ")}.`;
  } else if (backendForced() && c.backend === backendOrder()[0]) {
    why = ` (forced by ?backend=${c.backend} in the address; without it the kit measures the backends and keeps the fastest).`;
  } else if (backendForced()) {
    why = ` (?backend=${backendOrder()[0]} in the address could not run; the next that works in the order webgpu → webgl → wasm → cpu).`;
  } else {
    why = c.reasons.length ? ", the only one that works here." : ".";
  }
  const restarts =
    c.restarts ? ` The worker was replaced ${c.restarts === 1 ? "once" : `${c.restarts} times`} (after a failure or a cancel).` : "";
  return `TF.js backend in the worker: ${c.backend}${why}${skipped}${restarts} To choose another, add ${others} to the address.`;
}

/** Whether the backend compiles GPU shaders on first use of a shape (the first run is then slower). */
export const compilesShaders = (c) => GPU.has(c.backend);

const PROBE_WORDS = "one DeqIR map at T = 4 (the UNet on a batch of 4, median of 3 after a warm-up)";

/** For tests and the curious: the worker's tf.memory(). */
if (typeof window !== "undefined") window.__deqir = {client, backendOrder};
