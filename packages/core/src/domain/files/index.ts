export { uploadSpoolDir } from './file-names';
export {
  ingestFile,
  toUploadError,
  jobError,
  jobOutcome,
  submitUpload,
  uploadError,
  type IngestInput,
  type IngestResult,
  type IngestDeps,
} from './ingest-file';
export { ingestFiles, submitUploads } from './ingest-files';
export { uploadFromForm, uploadFromFormAsync } from './upload-file';
export {
  QuotaMessages,
  quotaCheck,
  storageLimits,
  storageReport,
  type StorageLimits,
} from './storage-quota';
export {
  collectionName,
  deleteByFilter,
  deleteFile,
  fileStatus,
  listFiles,
  resetCollection,
} from './manage-files';
export type { IngestProgress, IngestStage } from './progress';
export { doneTotal, jobEvent } from './progress-event';
export { waitForJob, waitForJobs } from './wait-job';
export { JOB_MESSAGES, STAGE_NAMES } from './job-messages';
export { discardFile, fileGoneError, removeReplaced } from './file-rows';
export { chunkRecords, embeddingText, indexChunks, WRITE_BATCH } from './index-chunks';
export { SUPPORTED_EXTENSIONS } from './parsers/parse-document';
export {
  DeleteByFilterBody,
  DeleteByFilterResponse,
  FileDeleteResponse,
  FileInfo,
  FileListResponse,
  FileParams,
  FileStatus,
  FileStatusParams,
  FilterErrorBody,
  MAX_CATEGORY_LENGTH,
  ResetCollectionResponse,
  StorageUsageResponse,
  UploadErrorBody,
  UploadForm,
  UploadFormData,
  UploadResponse,
} from './schemas';
export {
  chunkOptionsOf,
  chunkSegments,
  splitText,
  wholeLimit,
  type ChunkDraft,
  type ChunkOptions,
} from './chunker';
export {
  parseDocument,
  isSupportedExtension,
  type SupportedExtension,
} from './parsers/parse-document';
export { checkDeadline, documentBudget, parseBudget, type ParseBudget } from './parsers/budget';
export { detectEncoding, decodedLines } from './parsers/text-decoding';
export { statementLabel } from './parsers/sql-parser';
export {
  DocumentError,
  REFUSAL_MESSAGES,
  type Segment,
  type ParsedDocument,
} from './parsers/types';
export { ensureIndexSignature, IndexSignatureMismatchError } from './index-signature';
export { reconcileIngestion, type ReconcileReport } from './reconcile';
export { createDiskBlobStore } from '../../adapters/storage/disk-blob-store';
export { openPdf, pageText } from './parsers/pdf-text';
export { createRunningLineFilter } from './parsers/pdf-hygiene';
