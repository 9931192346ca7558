import { accessSync, constants, statSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Flags that give headless Debian Chromium WebGPU through SwiftShader, Vulkan on the CPU: the
 * browser tests then run the site's WebGPU path on any machine, with or without a GPU.
 */
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'];

/** No sync, updates, metrics or component downloads: the browser itself must not go online either. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--metrics-recording-only',
  '--no-first-run',
  '--disable-domain-reliability',
];

/** Where Debian, Ubuntu, Google's packages and snap put a Chromium-family browser. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
];

/** The one command that installs what the browser suite needs (scripts/ensureSystemDeps.sh runs it as root). */
const CHROMIUM_INSTALL = 'apt-get install -y chromium';

export interface FindChromiumOptions {
  /** Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Defaults to CHROMIUM_CANDIDATES. */
  candidates?: readonly string[];
  /** Defaults to: an executable regular file. */
  exists?: (path: string) => boolean;
}

/** Whether `path` is an executable regular file. */
function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The Chromium executable: `CHROMIUM_PATH` when set (it must exist), else the first of the usual
 * paths that exists. Throws with the install command when there is none.
 */
export function findChromium({
  env = process.env,
  candidates = CHROMIUM_CANDIDATES,
  exists = isExecutable,
}: FindChromiumOptions = {}): string {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (exists(fromEnv)) return fromEnv;
    throw new Error(
      `CHROMIUM_PATH=${fromEnv} is not an executable file. Point CHROMIUM_PATH at a Chromium executable, ` +
        `or unset it and install Chromium with \`sudo ${CHROMIUM_INSTALL}\` (or \`sudo bash scripts/ensureSystemDeps.sh\`).`,
    );
  }
  const found = candidates.find((p) => exists(p));
  if (found) return found;
  throw new Error(
    `No Chromium executable found (looked in ${candidates.join(', ')}). The browser tests need one: ` +
      `install it with \`sudo ${CHROMIUM_INSTALL}\` (or \`sudo bash scripts/ensureSystemDeps.sh\`), ` +
      'or set CHROMIUM_PATH to an existing Chromium executable.',
  );
}

export function launchChromium({ webgpu = true } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(), headless: true, args: [...QUIET_FLAGS, ...(webgpu ? WEBGPU_FLAGS : [])] });
}
