// Types of the bundled page client (scripts/bundleSite.ts writes src/pages/_deqir/deqir-client.js
// from src/lib/site/page/pageApi.ts), so that the type check of the page components sees its API.
export * from '../../lib/site/page/pageApi.js';
