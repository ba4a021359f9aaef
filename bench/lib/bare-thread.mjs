// The thread of `bareThread()` (pdf-ratio.ts): tsx's loader first (Node 20 cannot import .ts), then
// bare extraction of each corpus PDF it is sent, answered with 'done'.
import { parentPort } from 'node:worker_threads';

import { register } from 'tsx/esm/api';

register();
const { extractBare } = await import('./pdf-ratio.ts');
parentPort.on('message', (entry) => {
  void extractBare(entry).then(() => parentPort.postMessage('done'));
});
