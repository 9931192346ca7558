import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

/**
 * Re-registers TF.js's 'webgpu' backend with a factory that keeps the adapter and device
 * referenced for the worker's lifetime. With TF.js's own factory the adapter is garbage once the
 * device exists, and in Chromium workers the next read-back then fails with "A valid external
 * Instance reference no longer exists" (seen with SwiftShader, headless Debian Chromium).
 * Same adapter options and limits as TF.js 4.22's factory.
 */
const held: { adapter?: GPUAdapter; device?: GPUDevice; lost?: string; error?: string } = {};

export function registerWebGPU(): void {
  if (!(globalThis as { navigator?: Navigator }).navigator?.gpu) return;
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
      // TF.js swallows factory errors (setBackend just returns false): keep the reason for the page.
      if (!adapter) throw new Error((held.error = 'navigator.gpu is present but no WebGPU adapter was granted'));
      const l = adapter.limits;
      const device = await adapter.requestDevice({
        requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      device.lost.then((info) => {
        held.lost = `${info.reason}: ${info.message}`;
        if (info.reason !== 'destroyed') lostListeners.forEach((l) => l(held.lost!));
      });
      Object.assign(held, { adapter, device });
      return new WebGPUBackend(device, (adapter as unknown as { info?: GPUAdapterInfo }).info);
    },
    3,
  );
}

const lostListeners: ((why: string) => void)[] = [];

/** Calls `listener` when the device is lost other than by being destroyed on purpose. */
export function onWebgpuLost(listener: (why: string) => void): void {
  lostListeners.push(listener);
}

/** Why the WebGPU device was lost, if it was. */
export const webgpuLost = (): string | undefined => held.lost;

/**
 * The adapter TF.js's device came from, as the browser names it, and whether the browser marks it
 * as a fallback (software) adapter; undefined before the backend initialised.
 */
export function webgpuAdapterName(): { name: string; fallback: boolean } | undefined {
  const a = held.adapter as
    (GPUAdapter & { isFallbackAdapter?: boolean; info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }) | undefined;
  if (!a) return undefined;
  const i = a.info;
  const name = [i?.vendor, i?.architecture, i?.device, i?.description].filter(Boolean).join(' ') || 'unnamed adapter';
  return { name, fallback: Boolean(i?.isFallbackAdapter ?? a.isFallbackAdapter) };
}

/** Why the WebGPU backend failed to initialise, if we know. */
export const webgpuInitError = (): string | undefined => held.error;
