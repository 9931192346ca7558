import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { registerWebGPU, webgpuAdapterName, webgpuInitError } from '../backend/webgpuBackend.js';

/**
 * TF.js's WebGPU backend in Node through Dawn (the `webgpu` npm package): what a GPU machine times
 * without a browser. Dawn picks the system's Vulkan driver; on a machine without a GPU, point it at
 * Chromium's SwiftShader (software Vulkan) with
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
 * (Dawn rejects Debian's lavapipe). `flags` are Dawn's own (e.g. 'backend=vulkan').
 */
export async function useNodeWebgpu(flags: string[] = []): Promise<{ backend: string; adapter: { name: string; fallback: boolean } }> {
  const { create, globals } = (await import('webgpu')) as unknown as { create: (f: string[]) => GPU; globals: Record<string, unknown> };
  Object.assign(globalThis, globals);
  const g = globalThis as { navigator?: { gpu?: GPU } };
  // Node 20 has no global navigator; later versions have one without gpu.
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator!, 'gpu', { value: create(flags), configurable: true });
  registerWebGPU();
  const ok = await tf.setBackend('webgpu');
  if (!ok)
    throw new Error(
      `no WebGPU adapter in Node (${webgpuInitError() ?? 'TF.js could not start its webgpu backend'}). Without a GPU, use SwiftShader: ` +
        'LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (Debian package chromium)',
    );
  await tf.ready();
  return { backend: tf.getBackend(), adapter: webgpuAdapterName() ?? { name: 'unknown', fallback: false } };
}
