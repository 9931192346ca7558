import {FileAttachment} from "observablehq:stdlib";
import {SITE_DATASETS, SITE_PRIORS} from "../_deqir/deqir-client.js";
import {select} from "./controls.js";

// The emoji subset's attribution and licence texts, served by the site itself (scripts/bundleSite.ts copies them).
const emojiReadme = FileAttachment("../_deqir/emoji/README.txt");
const apacheLicence = FileAttachment("../_deqir/emoji/LICENSE-Apache-2.0.txt");

/** The one menu that picks the prior (and its images): grey Fashion-MNIST or colour emoji (src/lib/site/sitePriors.ts). */
export function datasetSelect(value, onChange) {
  const el = select(
    "images and prior",
    SITE_DATASETS.map((d) => [d, SITE_PRIORS[d].label]),
    value,
    onChange,
  );
  el.querySelector("select").name = "dataset";
  return el;
}

/** The credit a prior's images need (emoji: Twemoji CC BY 4.0, Noto Emoji Apache-2.0), or an empty line. */
export function attributionLine(dataset) {
  const el = document.createElement("div");
  el.dataset.role = "attribution";
  el.style.cssText = "font-size:12px;color:var(--theme-foreground-muted);margin:4px 0;max-width:640px";
  const text = SITE_PRIORS[dataset].attribution;
  if (!text) return el;
  const link = (f, words) => Object.assign(document.createElement("a"), {href: f.href, textContent: words, target: "_blank"});
  el.append(`${text} `, link(emojiReadme, "Attribution and licences"), " · ", link(apacheLicence, "Apache-2.0 text"), ".");
  return el;
}
