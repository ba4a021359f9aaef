import type { ProgressBus, ProgressListener } from '../../ports/progress-bus';

/** Progress within one process (the embedded default: one gateway owns the database). */
export function createInProcessProgressBus(): ProgressBus {
  const listeners = new Set<ProgressListener>();
  return {
    name: 'in-process',
    publish(userId, event) {
      for (const l of [...listeners]) l(userId, event);
      return Promise.resolve();
    },
    listen(listener) {
      listeners.add(listener);
      return Promise.resolve(() => {
        listeners.delete(listener);
        return Promise.resolve();
      });
    },
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}
