import { AppError } from '../../errors';
import { ingestFile, type IngestDeps } from './ingest-file';
import { MAX_CATEGORY_LENGTH, type UploadResponse } from './schemas';

/** `files.upload`: the multipart fields as a FormData (`file` a File/Blob, optional `category`, `upload_id`). */
export async function uploadFromForm(
  deps: IngestDeps,
  userId: string,
  form: FormData,
  signal?: AbortSignal,
): Promise<UploadResponse> {
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
  const result = await ingestFile(deps, {
    userId,
    filename,
    source: file,
    category: typeof category === 'string' ? category : null,
    uploadId: typeof uploadId === 'string' && uploadId ? uploadId : undefined,
    signal,
  });
  return {
    filename: result.filename,
    status: 'success',
    message: `Đã tải lên và index thành công ${result.chunksCount} chunks từ tài liệu`,
    chunks_count: result.chunksCount,
    category: result.category,
    file_id: result.fileId,
  };
}
