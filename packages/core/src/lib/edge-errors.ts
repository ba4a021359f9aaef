import type { TRPCError } from '@trpc/server';

import { AppError } from '../errors';

/**
 * What the user reads when the transport itself refuses a request, before (or around) any procedure:
 * the same words on REST and tRPC. Never the library's or the runtime's own text.
 */
export const EdgeMessages = {
  /** The input could not be read or does not satisfy the schema (tRPC's validation message). */
  invalidInput: 'Dữ liệu không hợp lệ',
  badRequest: 'Yêu cầu không hợp lệ',
  bodyTooLarge: 'Nội dung yêu cầu quá lớn',
  badPercentEncoding: 'Đường dẫn chứa ký tự mã hoá (%) không hợp lệ',
  batchTooLarge: 'Yêu cầu gộp (batch) có quá nhiều lệnh gọi; hãy chia thành nhiều yêu cầu nhỏ hơn',
  batchSubscriptions: 'Không được gộp (batch) các đăng ký (subscription); hãy mở từng kết nối một',
  /** Prefix of every unreadable multipart body (the REST upload appends why). */
  multipartInvalid: 'Dữ liệu multipart không hợp lệ',
  multipartUnreadable: 'Dữ liệu multipart không hợp lệ: không đọc được nội dung',
  uploadTooLarge: (maxMb: number) => `File vượt quá giới hạn ${maxMb} MB`,
  procedureNotFound: 'Không tìm thấy thủ tục (procedure) được yêu cầu',
  methodNotSupported: 'Phương thức HTTP không được hỗ trợ cho thủ tục này',
  unsupportedMediaType: 'Kiểu nội dung (Content-Type) không được hỗ trợ',
  timeout: 'Yêu cầu quá thời gian chờ',
  aborted: 'Yêu cầu đã bị hủy',
  internal: 'Lỗi máy chủ nội bộ',
} as const;

/** The procedures that take a multipart upload: their refusals carry the contract's upload body. */
const UPLOAD_PROCEDURES = new Set(['files.upload', 'files.uploadAsync']);

/** An upload refused by the transport: the documented `{filename, status, message}` body. */
function uploadRefused(code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE', message: string): AppError {
  // The body was never parsed, so the file's name is unknown (as for an unreadable REST upload).
  return new AppError(code, message, { details: { kind: 'upload_refused', filename: '' } });
}

/** tRPC wraps whatever failed while reading the input (JSON, superjson, FormData) in BAD_REQUEST. */
function inputReadFailure(error: TRPCError): Error | undefined {
  const cause = error.cause;
  return cause instanceof Error && cause.name !== 'TRPCError' ? cause : undefined;
}

/**
 * A failure the tRPC transport raised itself (no AppError, no zod issues), in the contract's words:
 * its own English texts ("Batch call exceeds maximum size", a bare "PAYLOAD_TOO_LARGE") and the
 * runtime's ("Maximum call stack size exceeded", "Failed to parse body as FormData.") never reach
 * the client. Uploads get the documented upload body (`app`); the status stays the transport's.
 */
export function transportFailure(
  error: TRPCError,
  path: string | undefined,
  maxUploadMb: number | undefined,
): { message: string; app?: AppError } {
  const upload = path !== undefined && UPLOAD_PROCEDURES.has(path);
  switch (error.code) {
    case 'PAYLOAD_TOO_LARGE': {
      if (!upload || maxUploadMb === undefined) return { message: EdgeMessages.bodyTooLarge };
      const app = uploadRefused('PAYLOAD_TOO_LARGE', EdgeMessages.uploadTooLarge(maxUploadMb));
      return { message: app.message, app };
    }
    case 'BAD_REQUEST':
      return badRequest(error, upload);
    case 'PARSE_ERROR':
      return { message: EdgeMessages.badRequest };
    case 'NOT_FOUND':
      return { message: EdgeMessages.procedureNotFound };
    case 'METHOD_NOT_SUPPORTED':
      return { message: EdgeMessages.methodNotSupported };
    case 'UNSUPPORTED_MEDIA_TYPE':
      return { message: EdgeMessages.unsupportedMediaType };
    case 'TIMEOUT':
      return { message: EdgeMessages.timeout };
    case 'CLIENT_CLOSED_REQUEST':
      return { message: EdgeMessages.aborted };
    case 'INTERNAL_SERVER_ERROR':
    case 'NOT_IMPLEMENTED':
    case 'BAD_GATEWAY':
    case 'SERVICE_UNAVAILABLE':
    case 'GATEWAY_TIMEOUT':
      return { message: EdgeMessages.internal };
    default:
      return { message: EdgeMessages.badRequest };
  }
}

function badRequest(error: TRPCError, upload: boolean): { message: string; app?: AppError } {
  const text = error.message;
  if (/^Batch call exceeds maximum size/.test(text)) return { message: EdgeMessages.batchTooLarge };
  if (/^Cannot batch subscription/.test(text)) return { message: EdgeMessages.batchSubscriptions };
  if (/^Invalid URL-encoding/.test(text)) return { message: EdgeMessages.badPercentEncoding };
  if (/^"input" needs to be an object/.test(text)) return { message: EdgeMessages.invalidInput };
  if (/^Invalid URL$/.test(text)) return { message: EdgeMessages.badRequest };
  const failed = inputReadFailure(error);
  if (failed) {
    // undici: "Failed to parse body as FormData." (malformed, truncated, no boundary…).
    if (/form-?data/i.test(failed.message)) {
      if (!upload) return { message: EdgeMessages.multipartUnreadable };
      const app = uploadRefused('BAD_REQUEST', EdgeMessages.multipartUnreadable);
      return { message: app.message, app };
    }
    // JSON.parse, or superjson rebuilding a Map / RegExp / deep path from a hostile `meta`.
    return { message: EdgeMessages.invalidInput };
  }
  return { message: EdgeMessages.badRequest };
}
