import type { Deps } from '../../ports/deps';
import type { Env } from '../../env';
import type { QuotaCheck, StorageUsage } from '../../ports/job-store';
import type { StorageUsageResponse } from './schemas';

const MB = 1024 * 1024;

export type StorageLimits = { maxBytes: number | null; maxFiles: number | null };

/** The operator's per-user limits (`USER_STORAGE_QUOTA_MB`, `USER_MAX_FILES`; 0 is none). */
export function storageLimits(env: Pick<Env, 'USER_STORAGE_QUOTA_MB' | 'USER_MAX_FILES'>) {
  return {
    maxBytes: env.USER_STORAGE_QUOTA_MB > 0 ? Math.floor(env.USER_STORAGE_QUOTA_MB * MB) : null,
    maxFiles: env.USER_MAX_FILES > 0 ? env.USER_MAX_FILES : null,
  } satisfies StorageLimits;
}

/** Megabytes as people read them: one decimal below 10 MB, whole above. */
function mb(bytes: number): string {
  const v = bytes / MB;
  return v < 10 ? (Math.round(v * 10) / 10).toString() : Math.round(v).toString();
}

export const QuotaMessages = {
  bytes: (size: number, used: number, max: number) =>
    `Không đủ dung lượng lưu trữ: tài liệu cần ${mb(size)} MB, bạn đã dùng ${mb(used)} MB trên ${mb(max)} MB. ` +
    'Hãy xoá bớt tài liệu rồi thử lại.',
  files: (max: number) =>
    `Bạn đã có số tài liệu tối đa (${max}). Hãy xoá bớt tài liệu rồi thử lại.`,
};

/**
 * The rule the job store runs under the user's storage lock (undefined: no limit configured). An
 * upload fits when the user's documents with it stay within both limits; a refusal is a 413.
 */
export function quotaCheck(limits: StorageLimits): QuotaCheck | undefined {
  const { maxBytes, maxFiles } = limits;
  if (maxBytes === null && maxFiles === null) return undefined;
  return (usage: StorageUsage, job) => {
    if (maxFiles !== null && usage.files + 1 > maxFiles)
      return { code: 'PAYLOAD_TOO_LARGE', reason: QuotaMessages.files(maxFiles) };
    if (maxBytes !== null && usage.bytes + job.size > maxBytes)
      return {
        code: 'PAYLOAD_TOO_LARGE',
        reason: QuotaMessages.bytes(job.size, usage.bytes, maxBytes),
      };
    return null;
  };
}

/** `GET /storage`: what the caller's documents take, against the limits. */
export async function storageReport(
  deps: Pick<Deps, 'jobs' | 'env'>,
  userId: string,
): Promise<StorageUsageResponse> {
  const usage = await deps.jobs.storageUsage(userId);
  const limits = storageLimits(deps.env);
  return {
    used_bytes: usage.bytes,
    files: usage.files,
    quota_bytes: limits.maxBytes,
    max_files: limits.maxFiles,
    max_upload_mb: deps.env.MAX_UPLOAD_MB,
  };
}
