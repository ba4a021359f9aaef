// The gateway's entry point: tracing (when configured) must be running before http, express and pg are
// loaded, or its instrumentations cannot patch them; so the server itself is loaded afterwards.
import { EnvError, readProcessEnv } from '@rag/core/env';

function tracingEnv() {
  try {
    return readProcessEnv();
  } catch (err) {
    if (err instanceof EnvError) return null; // main reports the bad settings
    throw err;
  }
}

const env = tracingEnv();
if (env?.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const { startTracing } = await import('./tracing');
  startTracing({ serviceName: env.OTEL_SERVICE_NAME });
}
await import('./main');
