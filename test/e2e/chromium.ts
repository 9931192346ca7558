import { chromium, type Browser } from 'playwright-core';

/** Flags that give headless Debian Chromium WebGPU through SwiftShader (DESIGN §5). */
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader'];

/** No sync, updates, metrics or component downloads: the browser itself must not go online either. */
export const QUIET_FLAGS = [
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

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium({ webgpu = true } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...QUIET_FLAGS, ...(webgpu ? WEBGPU_FLAGS : [])] });
}
