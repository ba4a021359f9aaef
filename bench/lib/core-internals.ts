// The ingestion use-case is not (yet) part of @rag/core's public exports; the eval must drive the very
// function the upload route uses, so it is imported from its source file in one place only.
export { ingestFile, type IngestResult } from '../../packages/core/src/domain/files/ingest-file';
