/** Throttled progress lines on stderr, so stdout keeps only results and the machine-readable last line. */
export function createProgress(label: string, total: number, everyMs = 2000) {
  const started = performance.now();
  let last = started;
  let lastDone = -1;
  return {
    tick(done: number, force = false) {
      const now = performance.now();
      if (done === lastDone || (!force && now - last < everyMs && done < total)) return;
      last = now;
      lastDone = done;
      const rate = done / Math.max((now - started) / 1000, 1e-9);
      process.stderr.write(`[${label}] ${done}/${total} (${rate.toFixed(1)}/s)\n`);
    },
    elapsedMs: () => performance.now() - started,
  };
}
