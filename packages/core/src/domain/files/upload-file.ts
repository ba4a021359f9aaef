import { AppError } from '../../errors';
import type { IngestJob } from '../../ports/job-store';
import type { UploadAccepted } from '../jobs';
import { JOB_MESSAGES } from './job-messages';
import {
  ingestFile,
  jobError,
  submitUpload,
  type IngestDeps,
  type IngestInput,
} from './ingest-file';
import { MAX_CATEGORY_LENGTH, type UploadResponse } from './schemas';

/** The multipart fields as ingestion input (`file` a File/Blob, optional `category`, `upload_id`). */
function readForm(userId: string, form: FormData): IngestInput {
  const file = form.get('file');
  if (!(file instanceof Blob))
    throw new AppError('UNPROCESSABLE', 'Thiếu trường "file" (tệp tải lên)');
  const filename = file instanceof File && file.name ? file.name : 'file';
  const category = form.get('category');
  // Bounded: it is stored with the file and shown in every listing.
  if (typeof category === 'string' && category.trim().length > MAX_CATEGORY_LENGTH)
    throw new AppError(
      'UNPROCESSABLE',
      `Trường "category" quá dài: tối đa ${MAX_CATEGORY_LENGTH} ký tự`,
    );
  const uploadId = form.get('upload_id');
  return {
    userId,
    filename,
    source: file,
    category: typeof category === 'string' ? category : null,
    uploadId: typeof uploadId === 'string' && uploadId ? uploadId.slice(0, 200) : undefined,
  };
}

/** `files.upload`: answers when the upload's job ends (the documented synchronous contract). */
export async function uploadFromForm(
  deps: IngestDeps,
  userId: string,
  form: FormData,
  signal?: AbortSignal,
): Promise<UploadResponse> {
  const result = await ingestFile(deps, { ...readForm(userId, form), signal });
  return {
    filename: result.filename,
    status: 'success',
    message: `Đã tải lên và index thành công ${result.chunksCount} chunks từ tài liệu`,
    chunks_count: result.chunksCount,
    category: result.category,
    file_id: result.fileId,
  };
}

/**
 * `files.uploadAsync`: stores the bytes, queues the job and answers at once (REST: 202). An upload
 * beyond the storage quota is its 413, as the synchronous upload answers it.
 */
export async function uploadFromFormAsync(
  deps: IngestDeps,
  userId: string,
  form: FormData,
): Promise<UploadAccepted> {
  const job = await submitUpload(deps, readForm(userId, form));
  if (job.status === 'failed' && job.errorCode === 'PAYLOAD_TOO_LARGE') throw jobError(job);
  return acceptedBody(job);
}

function acceptedBody(job: IngestJob): UploadAccepted {
  const base = {
    filename: job.filename,
    job_id: job.id,
    upload_id: job.uploadId,
    category: job.category,
    stage: job.stage,
  };
  if (job.status === 'failed')
    return {
      ...base,
      status: 'error',
      message: job.reason ?? JOB_MESSAGES.failedGeneric,
      file_id: null,
    };
  if (job.status === 'done')
    return {
      ...base,
      status: 'success',
      message: `Đã tải lên và index thành công ${job.chunksCount} chunks từ tài liệu`,
      file_id: job.resultFileId ?? job.fileId,
    };
  return { ...base, status: 'processing', message: JOB_MESSAGES.accepted, file_id: job.fileId };
}
