// Vitest setup file: every test file starts on the chosen backend, before its describe blocks run.
import { useNodeBackend } from '../../src/lib/backend/nodeBackend.js';
import { TEST_BACKEND } from './tfSetup.js';

await useNodeBackend(TEST_BACKEND);
