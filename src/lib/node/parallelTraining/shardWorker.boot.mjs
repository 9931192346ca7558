// Worker threads do not inherit tsx's loader; this plain module registers it and runs the TS worker.
import { tsImport } from 'tsx/esm/api';

await tsImport('./shardWorker.ts', import.meta.url);
