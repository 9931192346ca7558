// Worker threads do not inherit tsx's loader; this plain module registers it and runs the
// TypeScript worker module named in workerData (startTsWorker in tsWorker.ts).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.tsModule, import.meta.url);
