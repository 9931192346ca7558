import {linearSchedule, stepCoefficients} from "../_deqir/deqir-client.js";
import {tex, texBlock} from "./tex.js";

/**
 * The explanation the pages share: the joint map F beside the serial step, the solvers, the start
 * states, the timestep grid, the residual's rise, a glossary and the references. One notation
 * (docs/design.md §2) on every page; every number here is computed from the schedule code the
 * solver runs (src/lib/schedule), never typed in.
 */

const N = 1000;
const schedule = linearSchedule(N, 1e-4, 0.02);

/** A paragraph from strings and elements (inline math from `tex`). */
export function para(...parts) {
  const p = document.createElement("p");
  p.append(...parts);
  return p;
}

/** The serial step and the joint map F, side by side in one display (design §2.1, §2.3, §2.7). */
export function mapEquations() {
  const root = document.createElement("div");
  root.append(
    texBlock(String.raw`
\begin{aligned}
&\textbf{serial, one after another:} & x_{s_k} &= \Phi_k\big(x_{t_k},\ \varepsilon_\theta(x_{t_k}, t_k)\big),\quad k = 1, \dots, T,\quad x_{t_1} = x_T,\ x_{t_{k+1}} = x_{s_k};\\[4pt]
&\textbf{joint, all at once:} & F(X)_k &= \Phi_k\big(X_{k-1},\ \varepsilon_\theta(X_{k-1}, t_k)\big),\quad X_0 := x_T, \qquad X^\star = F(X^\star).
\end{aligned}`),
    para(
      tex(String.raw`\Phi_k`),
      " is one DDNM step (above), ",
      tex(String.raw`X = [X_1, \dots, X_T]`),
      " stacks the states after each step (",
      tex(String.raw`X_k = x_{s_k}`),
      ", so ",
      tex(String.raw`X_T = x_0`),
      "). The serial chain must wait for ",
      tex("x_{s_{k-1}}"),
      " before it can call the network for step k; F takes all its inputs from the current guess X, so its T network calls are independent: one batch. Its fixed point is the serial trajectory.",
    ),
  );
  return root;
}

/** Row k of F in closed form, as the code evaluates it (design §2.2, with step noise). */
export function unrolledMap() {
  const root = document.createElement("div");
  root.append(
    texBlock(String.raw`
\begin{aligned}
F(X)_k = \sqrt{\bar\alpha_{s_k}}\Big[\,&A^+y + P\,\frac{x_T}{\sqrt{\bar\alpha_{t_1}}}
+ P\sum_{j=1}^{k}\big((e_{2,j}-e_{1,j})\,\varepsilon_j + n_j z_j\big)\\
&+ A^+A\,\big(e_{2,k}\,\varepsilon_k + n_k z_k\big)\Big],\qquad \varepsilon_j = \varepsilon_\theta(X_{j-1}, t_j),
\end{aligned}`),
    para(
      "with ",
      tex(String.raw`e_{1,j} = \sqrt{(1-\bar\alpha_{t_j})/\bar\alpha_{t_j}}`),
      ", ",
      tex(String.raw`e_{2,j} = c_{2,j}/\sqrt{\bar\alpha_{s_j}}`),
      ", ",
      tex(String.raw`n_j = c_{1,j}/\sqrt{\bar\alpha_{s_j}}`),
      ", ",
      tex(String.raw`c_{2} = \sqrt{1-\bar\alpha_{s}}\sqrt{1-\eta_\varepsilon^2}`),
      ", ",
      tex(String.raw`c_{1} = \sqrt{1-\bar\alpha_{s}}\,\eta_z`),
      " and step noise ",
      tex("z_j"),
      " (deterministic DDIM: ",
      tex(String.raw`\eta_\varepsilon = \eta_z = 0`),
      ", the formula above). With measurement noise (",
      tex(String.raw`\sigma_y > 0`),
      ") each step is DDNM⁺'s noise-aware step, which mixes towards y by a different amount per step and per direction, so no such sum exists; F then keeps the chain form ",
      tex(String.raw`F(X)_k = \Phi_k(X_{k-1}, \varepsilon_k)`),
      ": the same rows, the same triangular dependence, the same fixed point.",
    ),
  );
  return root;
}

/**
 * Picard, Anderson and ParaTAA as the code runs them (src/lib/deq/solvers/picard.ts, anderson.ts), every knob named.
 *
 * @param {{ m?: number, lambda?: number, beta?: number }} [settings]
 */
export function solverFormulas({m, lambda, beta} = {}) {
  const root = document.createElement("div");
  const knob = (symbol, text) => {
    const li = document.createElement("li");
    li.append(tex(symbol), " — ", ...text);
    return li;
  };
  const now = (v) => (v == null ? "" : `Now ${v}.`);
  const list = document.createElement("ul");
  list.append(
    knob("m", [`history: how many past pairs (X_i, F(X_i)) Anderson mixes (1 = plain Picard). ${now(m)}`]),
    knob(String.raw`\lambda`, [
      `regularisation added to the diagonal of the m × m Gram matrix of the residuals: larger λ pulls α towards equal weights and keeps a near-singular history from producing huge weights. An absolute number, not scaled to the residuals' size. ${now(lambda)}`,
    ]),
    knob(String.raw`\beta`, [
      `mixing (damping): β = 1 steps to the mixed images Σα_i F(X_i); β < 1 moves only part of the way. The slider damps Picard too (X ← (1 − β)X + βF(X)), which then loses its exactness after T iterations. ${now(beta)}`,
    ]),
    knob(String.raw`\text{whole state / per row}`, [
      "“anderson” solves one least-squares problem for the whole stacked state X (one α for all rows); “anderson-per-row” solves one per timestep row, each row with its own α (the DeqIR reference code, which treats the T rows as its batch).",
    ]),
    knob(String.raw`\text{taa}`, [
      "ParaTAA's triangular Anderson (Tang et al., ICML 2024, ",
      refLink("parataa", "ParaTAA"),
      "): per row and per image, the mixing weights α of row k are fitted to the residuals of that row and every row before it (rows 1 … k, the rows row k depends on), so a row's update sees the errors that feed it; rows already exact are copied from F(X), not mixed, so like Picard it is exact after at most T iterations. m, λ and β act on it as on the other Anderson solvers.",
    ]),
    knob(String.raw`\text{triangular}`, [
      "on this site “anderson” is the triangular variant: after i iterations rows 1 … i of F(X) are exact, and those rows are copied from F(X) into the next iterate instead of being mixed, so it keeps Picard's “exact after at most T iterations”. Per-row Anderson has no such guard.",
    ]),
    knob(String.raw`\text{stop rule, tol}`, [
      "the x0 rule (the default) finds a timestep final when the clean image its state implies moved by less than tol (RMS, image units) in the last call, or its state moved by less than tol times its noise level, and every earlier timestep is final; final timesteps leave the batch and the run stops when they reach x₀. The relative rule stops when ‖F(X) − X‖ / ‖F(X)‖ falls below tol, the reference's criterion. “max iterations” stops the run regardless (then “converged: no”).",
    ]),
  );
  root.append(
    para(tex(String.raw`\textbf{Picard}`), " (Jacobi) iteration, one batched call of F per iteration:"),
    texBlock(String.raw`X^{(i+1)} = (1-\beta)\,X^{(i)} + \beta\,F\big(X^{(i)}\big).`),
    para(
      "With β = 1 the first i rows are final after i iterations (row k of F reads only rows < k), so it is exact after at most T. ",
      tex(String.raw`\textbf{Anderson}`),
      " (type II, as in the DEQ reference code) keeps the last m iterates and their residuals ",
      tex(String.raw`r_i = F(X^{(i)}) - X^{(i)}`),
      " and mixes them:",
    ),
    texBlock(String.raw`
\begin{aligned}
\alpha &= \arg\min_{\textstyle\sum_i \alpha_i = 1}\ \Big\|\sum_{i} \alpha_i\, r_i\Big\|^2 + \lambda\,\|\alpha\|^2
= \frac{(G + \lambda I)^{-1}\mathbf 1}{\mathbf 1^\top (G + \lambda I)^{-1}\mathbf 1},\qquad G_{ij} = \langle r_i, r_j\rangle,\\
X^{(i+1)} &= \beta \sum_i \alpha_i F\big(X^{(i)}\big) + (1-\beta)\sum_i \alpha_i X^{(i)}.
\end{aligned}`),
    list,
  );
  return root;
}

/** The two start states of the solver (deqSystem.initialState). */
export function startStates() {
  const root = document.createElement("div");
  root.append(
    para(
      tex(String.raw`\textbf{xT}`),
      " (the reference's start): every row ",
      tex(String.raw`X_k^{(0)} = x_T`),
      ". ",
      tex(String.raw`\textbf{ddim-pinv}`),
      " (DDIM-A⁺y, this kit's default): pretend the clean image is ",
      tex("A^+y"),
      " and the noise is the one that would turn it into ",
      tex("x_T"),
      ", then walk DDIM down the grid with that constant noise:",
    ),
    texBlock(String.raw`\varepsilon_0 = \frac{x_T - \sqrt{\bar\alpha_{t_1}}\,A^+y}{\sqrt{1-\bar\alpha_{t_1}}},\qquad
X_k^{(0)} = \sqrt{\bar\alpha_{s_k}}\,A^+y + \sqrt{1-\bar\alpha_{s_k}}\,\varepsilon_0,\qquad X_T^{(0)} = A^+y.`),
    para(
      "It costs no network call, and its rows already carry the right noise level for their timestep and the measured part of the image, so the first iterations waste less on rows far from their fixed point. Either start reaches the same fixed point; only the number of iterations differs.",
    ),
  );
  return root;
}

/** Timesteps of T uniform steps, in sampling order: [{k, t, s, sqrtAbarT}]. */
export function timestepGridRows(T) {
  const c = stepCoefficients(schedule, {T, skip: "uniform"});
  return c.t.map((t, k) => ({k: k + 1, t, s: c.s[k], sqrtAbarT: c.sqrtAbarT[k]}));
}

/** Why x_T sits where it does for this T: the subsequence rule of src/lib/schedule/timesteps.ts, computed. */
export function timestepGrid(T) {
  const rows = timestepGridRows(T);
  const stride = Math.floor(N / T);
  const root = document.createElement("div");
  const list = rows.map((r) => r.t).join(", ");
  root.append(
    para(
      "The schedule has N = ",
      String(N),
      " noise levels, ",
      tex(String.raw`\bar\alpha_t = \prod_{i\le t}(1-\beta_i)`),
      ` for t = 0 … ${N - 1}, betas linear from 10⁻⁴ to 0.02. T steps use the uniform subsequence `,
      tex(String.raw`\tau_i = i\,\lfloor N/T\rfloor,\ i = 0,\dots,T-1`),
      ` (DDIM's rule, kept to exactly T entries), walked from the top down. For T = ${T} the stride is ⌊${N}/${T}⌋ = ${stride}, so x_T lives at `,
      tex(`t_1 = (T-1)\\lfloor N/T\\rfloor = ${rows[0].t}`),
      ` — not at ${N - 1}: the grid starts at 0 and stops one stride short of N. The steps visit t = ${list}, and the last step goes to `,
      tex(String.raw`\bar\alpha_{-1} = 1`),
      `, the clean x₀. At t₁ the signal weight is `,
      tex(`\\sqrt{\\bar\\alpha_{t_1}} = ${rows[0].sqrtAbarT.toPrecision(3)}`),
      ": x_T is almost pure noise.",
    ),
  );
  return root;
}

/**
 * How strongly an error in eps_j reaches row k in the closed form: |sqrt(abar_{s_k}) (e2_j − e1_j)|.
 * Only j >= 2 can be wrong (eps_1 reads x_T itself). Returns the largest weight and where it sits.
 */
export function epsAmplification(T) {
  const c = stepCoefficients(schedule, {T, skip: "uniform"});
  let best = {weight: 0, j: 2, k: T};
  for (let j = 1; j < T; j++)
    for (let k = j; k < T; k++) {
      const w = Math.abs(c.sqrtAbarS[k] * (c.e2[j] - c.e1[j]));
      if (w > best.weight) best = {weight: w, j: j + 1, k: k + 1};
    }
  return {...best, invSqrtAbarT: 1 / c.sqrtAbarT[0], t1: c.t[0], tj: c.t[best.j - 1]};
}

/**
 * Why the relative residual climbs above 1 before it falls, from the closed form, with the numbers
 * for this T and (when given) the run's own peak.
 */
export function residualRise(T, runs = []) {
  const a = epsAmplification(T);
  const peaks = runs
    .filter((r) => r.history.length)
    .map((r) => {
      const top = r.history.reduce((p, h) => (h.relResidual > p.relResidual ? h : p));
      return `${r.solver} ${top.relResidual.toFixed(2)} at iteration ${top.iteration}`;
    });
  return para(
    "Why the curves first climb (to about 1 or above) before they fall: in the closed form an error in ",
    tex(String.raw`\varepsilon_j`),
    " reaches every later row k with weight ",
    tex(String.raw`\sqrt{\bar\alpha_{s_k}}\,|e_{2,j} - e_{1,j}|`),
    ", which is large for the early, noisy steps (bounded by ",
    tex(String.raw`1/\sqrt{\bar\alpha_{t_1}}`),
    ` = ${a.invSqrtAbarT.toFixed(1)} for T = ${T}). ε₁ reads x_T itself and is never wrong; of the ε computed from a not-yet-final state, ε_${a.j} (t = ${a.tj}) gets the largest weight, ${a.weight.toFixed(1)}, in row ${a.k}. `,
    "So in the first iterations, while the early rows are still wrong, small ε errors are multiplied into the late rows, whose own size is O(1): F(X) moves them by about their norm or more, and ‖F(X) − X‖ / ‖F(X)‖ reaches 1. Once Picard has made the early rows exact, their ε stop changing and the residual falls fast, the front moving one row per iteration (the heatmap's diagonal).",
    peaks.length ? ` Peaks in the residual figure: ${peaks.join("; ")}.` : "",
  );
}

/** Symbols, one meaning each, on every page. */
export const GLOSSARY = [
  [String.raw`N,\ \beta_t`, "schedule length (1000) and the noise added at step t (linear from 10⁻⁴ to 0.02)"],
  [String.raw`\bar\alpha_t`, String.raw`$\prod_{i\le t}(1-\beta_i)$: the share of signal left at time t; $\bar\alpha_{-1} = 1$`],
  [String.raw`T`, "number of sampling steps (network calls of the serial chain)"],
  [String.raw`t_k,\ s_k`, String.raw`start and next timestep of step k (k = 1 is the first step, from $x_T$); $s_T = -1$`],
  [String.raw`x_T`, String.raw`the initial noise, at the top of the grid ($t_1$)`],
  [String.raw`x_t,\ x_0`, String.raw`the noisy state at time t; $x_0$ the restored image (the last row of X)`],
  [
    String.raw`y = Ax + n`,
    String.raw`the measurement: degradation A applied to the clean image, plus noise n of standard deviation $\sigma_y$`,
  ],
  [String.raw`A^+,\ P = I - A^+A`, "pseudo-inverse of A; projector onto what y cannot see (its null space)"],
  [String.raw`\varepsilon_\theta(x, t),\ \varepsilon_k`, "the network's prediction of the noise in x at time t; its value in step k"],
  [
    String.raw`x_{0|t}`,
    String.raw`the model's guess of the clean image from $x_t$: $(x_t - \sqrt{1-\bar\alpha_t}\,\varepsilon)/\sqrt{\bar\alpha_t}$`,
  ],
  [
    String.raw`\hat x_0`,
    String.raw`that guess corrected by the measurement: $A^+y + P\,x_{0|t}$ (DDNM); DDNM⁺ mixes towards y per singular direction`,
  ],
  [String.raw`X,\ X_k`, String.raw`the stacked state $[X_1, \dots, X_T]$; $X_k$ is the state after step k, $X_T = x_0$`],
  [
    String.raw`F,\ X^\star`,
    String.raw`the joint map (all T steps from the current X, one batched network call); its fixed point $X^\star = F(X^\star)$ is the serial trajectory`,
  ],
  [
    String.raw`r,\ r_k`,
    String.raw`relative residual $\|F(X) - X\| / \|F(X)\|$; $r_k$ the same for row k only. The relative rule stops when r < tol; the default x0 rule reads how far each row's implied $\hat x_0$ moved`,
  ],
  [String.raw`m,\ \lambda,\ \beta`, "Anderson's history, regularisation and mixing (β also damps Picard)"],
  [String.raw`L,\ g`, String.raw`a loss of $x_0$; g the adjoint vector of the implicit gradient`],
  [String.raw`K,\ \tau`, "phantom gradient: number of damped steps back-propagated and their damping"],
  [String.raw`\text{NFE}`, "network evaluations per image; sequential depth = batched calls in a row (T serial, iterations for DeqIR)"],
];

/** Text with $…$ segments typeset. */
export function withMath(text) {
  const span = document.createElement("span");
  text.split("$").forEach((part, i) => span.append(i % 2 ? tex(part) : part));
  return span;
}

/** The glossary as a collapsible table (same entries everywhere). */
export function glossary({open = false} = {}) {
  const d = document.createElement("details");
  d.className = "deqir-glossary";
  d.open = open;
  const s = document.createElement("summary");
  s.textContent = "Symbols (the same on every page)";
  const t = document.createElement("table");
  for (const [sym, text] of GLOSSARY) {
    const r = t.insertRow();
    const c = r.insertCell();
    c.style.whiteSpace = "nowrap";
    c.append(tex(sym));
    r.insertCell().append(withMath(text));
  }
  const box = document.createElement("div");
  box.className = "deqir-scroll";
  box.append(t);
  d.append(s, box);
  return d;
}

/** Every work the kit cites, with a link a reader may follow (nothing is fetched by the site). */
export const REFERENCES = {
  deqir: {
    text: "J. Cao, Y. Shi, K. Zhang, Y. Zhang, R. Timofte, L. Van Gool. Deep Equilibrium Diffusion Restoration with Parallel Sampling. CVPR 2024.",
    id: "arXiv 2311.11600",
    href: "https://arxiv.org/abs/2311.11600",
  },
  ddnm: {
    text: "Y. Wang, J. Yu, J. Zhang. Zero-Shot Image Restoration Using Denoising Diffusion Null-Space Model (DDNM, DDNM⁺). ICLR 2023.",
    id: "arXiv 2212.00490",
    href: "https://arxiv.org/abs/2212.00490",
  },
  ddrm: {
    text: "B. Kawar, M. Elad, S. Ermon, J. Song. Denoising Diffusion Restoration Models (DDRM). NeurIPS 2022.",
    id: "arXiv 2201.11793",
    href: "https://arxiv.org/abs/2201.11793",
  },
  ddim: {
    text: "J. Song, C. Meng, S. Ermon. Denoising Diffusion Implicit Models (DDIM). ICLR 2021.",
    id: "arXiv 2010.02502",
    href: "https://arxiv.org/abs/2010.02502",
  },
  deq: {
    text: "S. Bai, J. Z. Kolter, V. Koltun. Deep Equilibrium Models. NeurIPS 2019.",
    id: "arXiv 1909.01377",
    href: "https://arxiv.org/abs/1909.01377",
  },
  anderson: {
    text: "D. G. Anderson. Iterative Procedures for Nonlinear Integral Equations. J. ACM 12(4), 1965.",
    id: "doi 10.1145/321296.321305",
    href: "https://doi.org/10.1145/321296.321305",
  },
  walkerNi: {
    text: "H. F. Walker, P. Ni. Anderson Acceleration for Fixed-Point Iterations. SIAM J. Numer. Anal. 49(4), 2011.",
    id: "doi 10.1137/10078356X",
    href: "https://doi.org/10.1137/10078356X",
  },
  paradigms: {
    text: "A. Shih, S. Belkhale, S. Ermon, D. Sadigh, N. Anari. Parallel Sampling of Diffusion Models (ParaDiGMS). NeurIPS 2023.",
    id: "arXiv 2305.16317",
    href: "https://arxiv.org/abs/2305.16317",
  },
  parataa: {
    text: "Z. Tang, J. Tang, H. Luo, F. Wang, T.-H. Chang. Accelerating Parallel Sampling of Diffusion Models (ParaTAA, triangular Anderson acceleration). ICML 2024.",
    id: "arXiv 2402.09970",
    href: "https://arxiv.org/abs/2402.09970",
  },
};

/** A link to a reference's paper (same address as the References list). */
export function refLink(key, text = REFERENCES[key].id) {
  const a = document.createElement("a");
  a.href = REFERENCES[key].href;
  a.rel = "noopener";
  a.textContent = text;
  return a;
}

/** A numbered list of references (all, or the keys given), each with its link. */
export function references(keys = Object.keys(REFERENCES)) {
  const ol = document.createElement("ol");
  ol.className = "deqir-references";
  ol.style.cssText = "font-size:14px";
  for (const k of keys) {
    const r = REFERENCES[k];
    const li = document.createElement("li");
    li.id = `ref-${k}`;
    const a = document.createElement("a");
    a.href = r.href;
    a.rel = "noopener";
    a.textContent = r.id;
    li.append(`${r.text} `, a);
    ol.append(li);
  }
  return ol;
}

/** How to cite, and what this kit re-implements and what it does not. */
export function citeNote() {
  const root = document.createElement("div");
  const item = (b, text) => {
    const li = document.createElement("li");
    const strong = document.createElement("strong");
    strong.textContent = b;
    li.append(strong, ` ${text}`);
    return li;
  };
  const ul = document.createElement("ul");
  ul.append(
    item(
      "Re-implemented here:",
      "DeqIR's joint fixed point over all T states of a DDNM-in-DDIM chain (closed form and, with measurement noise, the chain form with DDNM⁺'s step); Picard, Anderson (whole-state, per-row as in the reference code, and the triangular variant), implicit and phantom gradients through the equilibrium, and initialization optimization of x_T; serial DDNM, DDNM⁺ and DDRM baselines.",
    ),
    item(
      "Not re-implemented:",
      "the paper's 256 × 256 ImageNet / CelebA-HQ / FFHQ models and its GPU experiments, multi-GPU parallelism, LPIPS guides and real-world degradations. The priors here are small UNets trained in this repository, on 28 × 28 grey Fashion-MNIST and on 32 × 32 colour emoji, so no number on this site reproduces a number of the paper; the method and its properties (same fixed point as the chain, iterations against T, gradients) are what can be checked.",
    ),
    item(
      "How to cite:",
      "for the method, cite the DeqIR paper [1]; for DDNM/DDNM⁺ steps, Wang et al. [2]; for DDRM, Kawar et al. [3]. When a number from this site matters, cite the kit by its repository and commit (the Benchmarks page names the commit behind every measured file).",
    ),
  );
  root.append(ul);
  return root;
}
