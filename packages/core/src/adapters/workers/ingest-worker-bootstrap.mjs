// Worker entry when running from TypeScript sources (tests, tsx): Node 20 cannot import .ts itself,
// so tsx's loader is registered inside the worker first. The bundle uses dist/ingest-worker.js.
import { register } from 'tsx/esm/api';

register();
const mod = await import('./ingest-worker.ts');
export default mod.default;
