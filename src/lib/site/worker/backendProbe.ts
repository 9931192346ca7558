import * as tf from '@tensorflow/tfjs-core';
import type { BackendProbe } from '../../backend/backendSelect.js';
import { FASHION_SMALL } from '../../models/unet/config.js';
import { initParams } from '../../models/unet/params.js';
import { UNetEpsModel } from '../../models/unet/unetModel.js';
import { gaussianArray } from '../../random/prng.js';
import { median } from '../../metrics/statistics.js';

const PROBE_T = 4;

/**
 * The backend probe: one UNet call on a batch of T = 4 states (the network work of one DeqIR map
 * at T = 4; seeded weights of the shipped architecture, so nothing is fetched), one untimed
 * warm-up (shader compilation, wasm start-up), then the median of `reps` calls, read-back
 * included. Past the deadline it rejects and stops at its next await.
 * It times the grey prior's UNet whichever prior a page shows: the probe ranks backends, and the
 * colour UNet runs the same ops on more channels, which only widens a GPU's lead over wasm and cpu,
 * while timing it would make the first start of every page slower on the slow backends.
 */
export function unetProbe(reps = 3): BackendProbe {
  return (deadlineMs) => {
    let abandoned = false;
    const start = performance.now();
    const late = () => new Error(`not finished after ${(deadlineMs / 1000).toFixed(1)} s`);
    const work = (async () => {
      const model = new UNetEpsModel(FASHION_SMALL, initParams(FASHION_SMALL, 0), 'probe');
      const x = tf.tensor4d(gaussianArray(PROBE_T * 28 * 28, 7), [PROBE_T, 28, 28, 1]);
      const t = Array.from({ length: PROBE_T }, (_, i) => 999 - 250 * i);
      // Synchronous backends (cpu, wasm) block the timer below: they check the clock after each call.
      const once = async () => {
        const t0 = performance.now();
        const eps = model.eps(x, t);
        await eps.data();
        eps.dispose();
        if (performance.now() - start > deadlineMs) throw late();
        return performance.now() - t0;
      };
      try {
        await once();
        const samples: number[] = [];
        for (let i = 0; i < reps && !abandoned; i++) samples.push(await once());
        return median(samples);
      } finally {
        x.dispose();
        model.dispose();
      }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abandoned = true;
        reject(late());
      }, deadlineMs);
    });
    work.catch(() => undefined); // an abandoned probe may still fail later: nobody waits for it
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  };
}
