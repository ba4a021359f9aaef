import { register } from 'node:module';

import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/**
 * Query parameters whose values a server span never records (`url.query`): tRPC's `connectionParams`
 * (the typed client's bearer token on subscriptions) and `input` (an `ask.stream` question), the
 * OAuth callback's `code`/`state`, usual token names, and the instrumentation's own defaults (the list
 * replaces them). Names match exactly here, so the usual spellings are listed; the request log matches
 * by pattern (`request-log.ts`).
 */
const SECRET_QUERY_PARAMS = [
  'connectionParams',
  'input',
  'code',
  'state',
  'authorization',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'refreshToken',
  'id_token',
  'idToken',
  'password',
  'client_secret',
  'clientSecret',
  'key',
  'api_key',
  'apiKey',
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
];

/**
 * OpenTelemetry traces over OTLP/HTTP (endpoint and the rest from the standard OTEL_* variables):
 * spans for incoming and outgoing HTTP, Express routing and Postgres queries. Loaded only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, so start-up and memory pay nothing otherwise.
 */
export function startTracing(opts: { serviceName: string }): void {
  // ESM modules (and CommonJS ones imported from ESM) are patched through this loader hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      new HttpInstrumentation({ redactedQueryParamsServer: SECRET_QUERY_PARAMS }),
      new ExpressInstrumentation(),
      new PgInstrumentation(),
    ],
  });
  sdk.start();
  // Best effort: the spans still buffered leave before the graceful shutdown ends the process.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => void sdk.shutdown().catch(() => undefined));
}
