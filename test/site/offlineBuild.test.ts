import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from './buildSite.js';

/** XML namespace identifiers name a host but are never fetched. */
const NAMESPACES = new Set(['www.w3.org']);

/**
 * Citation links of the References sections (src/pages/components/explain.js): a reader may follow
 * them, the site never fetches from them (the browser suite fails on any request that leaves the
 * server). Only paper addresses are allowed, nothing else on those hosts.
 */
const CITATION = /^https:\/\/(arxiv\.org\/abs\/\d{4}\.\d{4,5}|doi\.org\/10\.\d{4,}\/[\w.()-]+)$/;

async function* files(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else yield p;
  }
}

describe('the static site', () => {
  it('builds offline and dist/ references no external host', { timeout: 600_000 }, async () => {
    // npm run build: the prebuild step bundles the worker into src/pages/_deqir first.
    await buildSite('dist');
    const offenders: string[] = [];
    for await (const f of files('dist')) {
      if (!/\.(html|js|css|json|svg)$/.test(f)) continue;
      const text = await readFile(f, 'utf8');
      for (const m of text.matchAll(/(?:https?:)?\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?=[/:"'\s)?#]|$)/gi)) {
        const host = m[1].toLowerCase();
        const url = text.slice(m.index, m.index + 80).match(/^[^"'\s)<>`]+/)?.[0] ?? '';
        if (CITATION.test(url)) continue;
        if (!NAMESPACES.has(host) && !/^(localhost|127\.0\.0\.1)$/.test(host)) offenders.push(`${f}: ${m[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
