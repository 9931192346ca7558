// Shared set-up for every page: the files the site serves itself, the benchmark images, and one
// lazily started DeqIR worker per backend order (started on first use, never at page load).
import {FileAttachment} from "observablehq:stdlib";
import {DeqirClient, fitPixelGaussian, PRIOR_FIT_IMAGES, PRIOR_VARIANCE_FLOOR, labelledFromIdx, toSignedUnit, FASHION_CLASSES} from "../_deqir/deqir-client.js";

const files = {
  worker: FileAttachment("../_deqir/deqir-worker.js"),
  unet: FileAttachment("../_deqir/fashion-unet-small.safetensors"),
  images: FileAttachment("../_deqir/fashion-mnist-test-256-images-idx3-ubyte"),
  labels: FileAttachment("../_deqir/fashion-mnist-test-256-labels-idx1-ubyte"),
  wasm: {
    "tfjs-backend-wasm.wasm": FileAttachment("../_deqir/wasm/tfjs-backend-wasm.wasm"),
    "tfjs-backend-wasm-simd.wasm": FileAttachment("../_deqir/wasm/tfjs-backend-wasm-simd.wasm"),
    "tfjs-backend-wasm-threaded-simd.wasm": FileAttachment("../_deqir/wasm/tfjs-backend-wasm-threaded-simd.wasm")
  }
};

/** Images 0..31 are offered in the pickers; 128..255 fit the Gaussian fallback prior (never restored). */
export const PICKER = Array.from({length: 32}, (_, i) => i);

let datasetPromise;
export function dataset() {
  return (datasetPromise ??= (async () => {
    const [img, lab] = await Promise.all([files.images.arrayBuffer(), files.labels.arrayBuffer()]);
    const set = labelledFromIdx(new Uint8Array(img), new Uint8Array(lab), "benchmark subset");
    return {
      set,
      image: (i) => toSignedUnit(set, [i]),
      label: (i) => FASHION_CLASSES[set.labels[i]],
      gaussian: fitPixelGaussian(toSignedUnit(set, PRIOR_FIT_IMAGES), PRIOR_FIT_IMAGES.length, PRIOR_VARIANCE_FLOOR)
    };
  })());
}

/** Backend order from the URL (?backend=wasm starts the search at wasm), else webgpu → webgl → wasm → cpu. */
export function backendOrder(search = location.search) {
  const all = ["webgpu", "webgl", "wasm", "cpu"];
  const want = new URLSearchParams(search).get("backend");
  return all.includes(want) ? all.slice(all.indexOf(want)) : all;
}

const clients = new Map();
/** One worker per backend order; the 2-D toy asks for ["cpu"] (tiny tensors run fastest there). */
export function client(order = backendOrder()) {
  const key = order.join(",");
  if (!clients.has(key)) {
    const p = dataset().then(({gaussian}) =>
      DeqirClient.start({
        workerUrl: files.worker.href,
        unetUrl: files.unet.href,
        wasmPaths: Object.fromEntries(Object.entries(files.wasm).map(([k, f]) => [k, new URL(f.href, location.href).href])),
        gaussian,
        order
      })
    );
    p.catch(() => clients.delete(key));
    clients.set(key, p);
  }
  return clients.get(key);
}

/** "webgpu" plus the reasons the backends before it were skipped, as one sentence for the page. */
export function backendSentence(c) {
  const why = c.reasons.length ? ` (skipped ${c.reasons.join("; ")})` : "";
  return `TF.js backend in the worker: ${c.backend}${why}.`;
}

/** For tests and the curious: the worker's tf.memory(). */
if (typeof window !== "undefined") window.__deqir = {client, backendOrder};
