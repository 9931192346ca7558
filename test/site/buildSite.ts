import { execFile } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';

const LOCK = 'src/pages/.observablehq/build.lock';

/**
 * `npm run build` into `out`, one build at a time across test files: vitest runs files in parallel
 * forks, and two builds would rewrite src/pages/_deqir and the loader cache under each other. The
 * second build then finds fresh loader outputs in the cache and is quick.
 */
export async function buildSite(out = 'dist'): Promise<void> {
  await mkdir('src/pages/.observablehq', { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const st = await stat(LOCK).catch(() => null);
      if (st && Date.now() - st.mtimeMs > 10 * 60_000) await rm(LOCK, { recursive: true, force: true }); // a crashed run's lock
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await promisify(execFile)('npm', ['run', 'build'], { env: { ...process.env, DEQIR_SITE_OUT: out }, maxBuffer: 64 * 1024 * 1024 });
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
