// Benches that started before @rag/core exported the ingestion use-case import it from here; new code
// should import `ingestFile` from '@rag/core' directly.
export { ingestFile, type IngestResult } from '@rag/core';
