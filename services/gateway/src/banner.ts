import { describeAdapters, serviceKeyNotice, type Deps } from '@rag/core';

/**
 * The first screen (issue 13.5): where the server is and how it is set up come first, then the
 * one-time notices (a generated service key) that only matter once those are known.
 */
export function printBanner(deps: Deps, base: string) {
  const { env } = deps;
  deps.log.info(
    `RAG gateway listening on ${base} — API ${base}${env.API_PREFIX}, docs ${base}/docs, OpenAPI ${base}/openapi.json, tRPC ${base}/trpc, metrics ${base}/metrics`,
  );
  deps.log.info(
    { adapters: describeAdapters(deps), dataDir: deps.dataDir },
    `adapters active — DATA_DIR ${deps.dataDir}`,
  );
  const notice = serviceKeyNotice(deps.serviceKey);
  if (notice) deps.log.warn({ file: deps.serviceKey.file }, notice);
}
