// The 2-D toy's first view (the page recomputes it in the browser as soon as x_T is dragged).
import { TOY_DEFAULT, runToy } from '../../lib/site/jobs/toy.js';
import { useNodeBackend } from '../../lib/backend/nodeBackend.js';

// wasm, not cpu: tfjs-core's cpu backend prints a banner to stdout in Node, which would corrupt the JSON.
await useNodeBackend('wasm');
process.stdout.write(JSON.stringify({ request: TOY_DEFAULT, result: await runToy(TOY_DEFAULT) }));
