import { AppError } from '../errors';

/** What the user reads when the server's own storage fails (not their request's fault). */
export const DiskMessages = {
  full: 'Máy chủ đã hết dung lượng lưu trữ nên không lưu được dữ liệu. Vui lòng thử lại sau hoặc báo quản trị viên.',
  unwritable:
    'Máy chủ không ghi được vào thư mục dữ liệu (DATA_DIR không tồn tại, chỉ đọc hoặc không có quyền ghi). Vui lòng báo quản trị viên.',
} as const;

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
// A missing or clobbered directory on the way to a write; a missing file on a read is not a disk fault.
const MISSING = new Set(['ENOENT', 'ENOTDIR']);
const WRITE_CALLS = new Set([
  'mkdir',
  'mkdtemp',
  'open',
  'rename',
  'copyfile',
  'link',
  'write',
  'statfs',
]);

type Errno = Error & { code?: unknown; syscall?: unknown };

/**
 * The user-facing error for a storage failure anywhere in `e`'s cause chain: 507 when the disk is full,
 * 503 when DATA_DIR cannot be written; undefined for anything else.
 */
export function diskFault(e: unknown): AppError | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    const err = cur as Errno;
    if (typeof err.code === 'string' && typeof err.syscall === 'string') {
      if (FULL.has(err.code))
        return new AppError('INSUFFICIENT_STORAGE', DiskMessages.full, { cause: e });
      if (UNWRITABLE.has(err.code) || (MISSING.has(err.code) && WRITE_CALLS.has(err.syscall)))
        return new AppError('UNAVAILABLE', DiskMessages.unwritable, { cause: e });
      return undefined;
    }
    cur = err.cause;
  }
  return undefined;
}

/** The error to report: a disk fault under a generic INTERNAL wrapper wins over it (it says more). */
export function preferDiskFault(app: AppError | undefined, e: unknown): AppError | undefined {
  if (app && app.code !== 'INTERNAL') return app;
  return diskFault(e) ?? app;
}
