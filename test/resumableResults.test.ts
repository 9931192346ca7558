import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResumable } from '../src/lib/node/resumableResults.js';

const units = (f: unknown) => (f as { cells?: number[] }).cells;
function file(body: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'deqir-resume-')), 'r.json');
  writeFileSync(path, JSON.stringify(body));
  return path;
}

describe('a resumable results file', () => {
  it('reuses units made with the same settings and names the run that made them', () => {
    const path = file({
      provenance: {
        settings: { a: 1 },
        gitCommit: 'abc',
        gitDirty: false,
        date: 'd1',
        resumedFrom: [{ gitCommit: 'old', gitDirty: true, date: 'd0' }],
      },
      cells: [1, 2],
    });
    const r = readResumable(path, { a: 1 }, units);
    expect(r.units).toEqual([1, 2]);
    expect(r.earlier).toEqual([
      { gitCommit: 'old', gitDirty: true, date: 'd0' },
      { gitCommit: 'abc', gitDirty: false, date: 'd1' },
    ]);
  });

  it('starts fresh when the settings differ, the file is missing or not JSON', () => {
    const path = file({ provenance: { settings: { a: 1 }, gitCommit: 'abc' }, cells: [1] });
    const other = readResumable(path, { a: 2 }, units);
    expect(other.units).toEqual([]);
    expect(other.earlier).toBeUndefined();
    expect(readResumable(path + '.missing', { a: 1 }, units).units).toEqual([]);
    const bad = file('');
    writeFileSync(bad, '{not json');
    expect(readResumable(bad, { a: 1 }, units).units).toEqual([]);
  });
});
