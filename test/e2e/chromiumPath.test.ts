import { describe, expect, it } from 'vitest';
import { CHROMIUM_CANDIDATES, findChromium } from '../../src/lib/node/chromium.js';

const onDisk =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe('finding Chromium for the browser tests', () => {
  it('honours CHROMIUM_PATH before the usual paths', () => {
    const exists = onDisk('/opt/my/chrome', '/usr/bin/chromium');
    expect(findChromium({ env: { CHROMIUM_PATH: '/opt/my/chrome' }, exists })).toBe('/opt/my/chrome');
  });

  it('falls back to the first usual path that exists', () => {
    expect(findChromium({ env: {}, exists: onDisk('/usr/bin/google-chrome', '/snap/bin/chromium') })).toBe('/usr/bin/google-chrome');
    expect(CHROMIUM_CANDIDATES[0]).toBe('/usr/bin/chromium');
  });

  it('with none found, fails with the install command and CHROMIUM_PATH', () => {
    expect(() => findChromium({ env: {}, exists: onDisk() })).toThrow(/apt-get install -y chromium.*CHROMIUM_PATH/s);
  });

  it('a CHROMIUM_PATH that does not exist is an error, not a silent fallback', () => {
    expect(() => findChromium({ env: { CHROMIUM_PATH: '/nope' }, exists: onDisk('/usr/bin/chromium') })).toThrow(
      /CHROMIUM_PATH=\/nope is not an executable file.*apt-get install -y chromium/s,
    );
  });
});
