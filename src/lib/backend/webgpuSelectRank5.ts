import { getKernel, registerKernel, unregisterKernel, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

/**
 * TF.js 4.22's WebGPU Select (tf.where) stops at rank 4 ("Where for rank 5 is not yet supported"),
 * and the triangular Anderson solver selects on the stacked state [T, B, H, W, C]. An element-wise
 * select does not care about shape, so for rank > 4 with equal shapes we run the rank-4 kernel on a
 * view with the leading axes merged (a reshape of contiguous data, as TF.js's own Reshape does).
 */
export function patchWebGPUSelect(): void {
  const original = getKernel('Select', 'webgpu');
  if (!original) return;
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const kernelFunc: KernelFunc = (args) => {
    const { condition, t, e } = args.inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
    if (t.shape.length <= 4 || !same(condition.shape, t.shape) || !same(e.shape, t.shape)) return original.kernelFunc(args);
    const lead = t.shape.slice(0, t.shape.length - 3).reduce((a, b) => a * b, 1);
    const view = (x: TensorInfo): TensorInfo => ({ dataId: x.dataId, dtype: x.dtype, shape: [lead, ...x.shape.slice(-3)] });
    const out = original.kernelFunc({ ...args, inputs: { condition: view(condition), t: view(t), e: view(e) } }) as TensorInfo;
    return { dataId: out.dataId, dtype: out.dtype, shape: [...t.shape] };
  };
  unregisterKernel('Select', 'webgpu');
  registerKernel({ ...original, kernelFunc });
}
