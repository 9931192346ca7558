// npm run bench -- <suite> [--quick] [--out FILE]: benchmarks that print side-by-side numbers and
// save JSON with provenance under data/benchmarks/. Logic lives in src/lib/bench.
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../src/lib/backend/nodeBackend.js';
import { gradientSuite } from './bench/gradients.js';
import { solverSuite } from './bench/solvers.js';

const SUITES: Record<string, (backend: string, quick: boolean, out?: string) => Promise<void>> = {
  solvers: solverSuite,
  gradients: gradientSuite,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const names = positionals.length ? positionals : ['solvers'];
for (const n of names) {
  if (!SUITES[n]) {
    console.error(`bench: unknown suite '${n}' (available: ${Object.keys(SUITES).join(', ')})`);
    process.exit(2);
  }
}
const backend = await useNodeBackend('wasm');
for (const n of names) await SUITES[n](backend, values.quick ?? false, values.out);
