import { Worker, workerData } from 'node:worker_threads';

/** What a worker started by startTsWorker receives: its TypeScript module and its own init data. */
interface TsWorkerData<Init> {
  tsModule: string;
  init: Init;
}

/**
 * Starts `tsModule` (a TypeScript file URL) in a worker thread through tsWorker.boot.mjs, which
 * registers tsx's loader first: worker threads do not inherit it. The module reads `init` with
 * tsWorkerInit(). Shared buffers in `init` are shared, everything else is copied.
 */
export function startTsWorker<Init>(tsModule: URL, init: Init, transferList: ArrayBuffer[] = []): Worker {
  const data: TsWorkerData<Init> = { tsModule: tsModule.href, init };
  return new Worker(new URL('./tsWorker.boot.mjs', import.meta.url), { workerData: data, transferList });
}

/** Inside a worker started by startTsWorker: the init data it was given. */
export function tsWorkerInit<Init>(): Init {
  return (workerData as TsWorkerData<Init>).init;
}
