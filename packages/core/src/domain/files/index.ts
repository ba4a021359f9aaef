export {
  ingestFile,
  uploadError,
  type IngestInput,
  type IngestResult,
  type IngestDeps,
} from './ingest-file';
export { uploadFromForm } from './upload-file';
export {
  collectionName,
  deleteByFilter,
  deleteFile,
  fileStatus,
  listFiles,
  resetCollection,
} from './manage-files';
export { progressBusFor, type IngestProgress, type IngestStage } from './progress';
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
  ProgressInput,
  ResetCollectionResponse,
  UploadErrorBody,
  UploadForm,
  UploadFormData,
  UploadResponse,
} from './schemas';
