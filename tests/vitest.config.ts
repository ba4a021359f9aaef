import { defineConfig } from 'vitest/config';

// Live suites talk to real external services; they join the run only when one is configured
// (QDRANT_URL, SUPABASE_TEST_URL + SUPABASE_TEST_KEY, OPENAI_API_KEY / OPENAI_BASE_URL), so an ordinary
// run reports no skipped tests.
const liveConfigured = Boolean(
  process.env.QDRANT_URL ||
  (process.env.SUPABASE_TEST_URL && process.env.SUPABASE_TEST_KEY) ||
  process.env.OPENAI_API_KEY ||
  process.env.OPENAI_BASE_URL,
);

export default defineConfig({
  test: {
    globalSetup: ['./support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Polls wait for a state, never for a clock: a loaded 2-core CI machine gets a generous bound.
    expect: { poll: { timeout: 30_000, interval: 20 } },
    pool: 'forks',
    // Two workers for our 2-core CI machines. Files share a worker's module cache instead of loading
    // @rag/core again for each one (that load was most of the suite's time); every file builds its own
    // deps, database and servers, and tears them down, so no state crosses files.
    maxWorkers: 2,
    isolate: false,
    projects: [
      { extends: true, test: { name: 'unit', include: ['unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['e2e/**/*.test.ts'] } },
      { extends: true, test: { name: 'fuzz', include: ['fuzz/**/*.test.ts'] } },
      ...(liveConfigured
        ? [{ extends: true as const, test: { name: 'live', include: ['live/**/*.test.ts'] } }]
        : []),
    ],
  },
});
