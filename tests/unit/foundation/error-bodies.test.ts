import { describe, expect, it } from 'vitest';

import { getTRPCErrorShape, initTRPC, TRPCError } from '@trpc/server';

import { AppError, documentedErrorBody, type Context } from '@rag/core';
import { MSG_NUL_CHARACTER } from '@rag/core/testing';
import { formatError, nulCharacterError } from '../../../packages/core/src/trpc-errors';
import { toHttp } from '../../../services/gateway/src/rest/http-errors';

// Key order is on the wire: the bodies are compared as JSON text, not as objects.
const wire = (err: AppError) => JSON.stringify(toHttp(err).body);

describe('documented error bodies are rendered at the edge from typed details', () => {
  it('an upload refusal names the file', () => {
    const err = new AppError('PAYLOAD_TOO_LARGE', 'Tệp quá lớn', {
      details: { kind: 'upload_refused', filename: 'a.pdf' },
    });
    expect(toHttp(err).status).toBe(413);
    expect(wire(err)).toBe('{"filename":"a.pdf","status":"error","message":"Tệp quá lớn"}');
  });

  it('an invalid delete filter answers {status, message}', () => {
    const err = new AppError('BAD_REQUEST', 'Lỗi khi xóa điểm theo filter: x', {
      details: { kind: 'filter_invalid' },
    });
    expect(wire(err)).toBe('{"status":"error","message":"Lỗi khi xóa điểm theo filter: x"}');
  });

  it('a question without files lists the files the caller could ask about', () => {
    const err = new AppError('BAD_REQUEST', 'Không có tệp', {
      details: {
        kind: 'no_file',
        availableFiles: [
          { id: 'f1', filename: 'a.md' },
          { id: 'f2', filename: 'b.pdf' },
        ],
      },
    });
    expect(wire(err)).toBe(
      '{"status":"error","message":"Không có tệp","available_file_ids":["f1","f2"],' +
        '"available_files":[["a.md","f1"],["b.pdf","f2"]]}',
    );
  });

  it('a failure without details keeps the plain {"detail"} body', () => {
    const err = new AppError('NOT_FOUND', 'Không thấy');
    expect(documentedErrorBody(err)).toBeNull();
    expect(wire(err)).toBe('{"detail":"Không thấy"}');
  });
});

describe('validation and transport failures: REST 422 lists, tRPC shapes in Vietnamese', () => {
  const nul = { code: 'custom' as const, path: ['category'], message: MSG_NUL_CHARACTER };

  it('a procedure refusing U+0000 renders over REST as the FastAPI list', () => {
    expect(toHttp(nulCharacterError(nul))).toEqual({
      status: 422,
      body: {
        detail: [
          {
            loc: ['body', 'category'],
            msg: `Value error, ${MSG_NUL_CHARACTER}`,
            type: 'value_error',
          },
        ],
      },
      headers: {},
    });
  });

  const MSG_INPUT = 'Dữ liệu không hợp lệ';
  const MSG_BATCH =
    'Yêu cầu gộp (batch) có quá nhiều lệnh gọi; hãy chia thành nhiều yêu cầu nhỏ hơn';
  const MSG_MULTIPART = 'Dữ liệu multipart không hợp lệ: không đọc được nội dung';
  const t = initTRPC.create();
  const ctx = { deps: { env: { MAX_UPLOAD_MB: 50 } } } as Context;
  const format = (error: TRPCError, path?: string) =>
    formatError({
      shape: getTRPCErrorShape({
        config: t._config,
        error,
        type: 'mutation',
        path,
        input: undefined,
        ctx,
      }),
      error,
      path,
      ctx,
    });
  // tRPC wraps what failed while reading the input the way its content-type handlers do.
  const inputFailure = (cause: Error) =>
    new TRPCError({ code: 'BAD_REQUEST', message: cause.message, cause });

  it('U+0000 on tRPC: the invalid-input message and the issue', () => {
    const shape = format(nulCharacterError(nul), 'files.upload');
    expect(shape.message).toBe(MSG_INPUT);
    expect(shape.data).toMatchObject({
      httpStatus: 422,
      appCode: null,
      issues: [{ path: ['category'], message: MSG_NUL_CHARACTER, code: 'custom' }],
    });
  });

  const batch = new TRPCError({ code: 'BAD_REQUEST', message: 'Batch call exceeds maximum size' });
  const internal = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'select * from x' });
  it.each([
    ['a batch over the limit', 400, MSG_BATCH, batch, undefined],
    [
      'a stack overflow in superjson',
      400,
      MSG_INPUT,
      inputFailure(new RangeError('Maximum call stack size exceeded')),
      'auth.signIn',
    ],
    [
      'a Map from a non-entry',
      400,
      MSG_INPUT,
      inputFailure(new TypeError('Iterator value a is not an entry object')),
      'auth.signIn',
    ],
    [
      'an invalid RegExp',
      400,
      MSG_INPUT,
      inputFailure(new SyntaxError('Invalid regular expression: /(/: Unterminated group')),
      'auth.signIn',
    ],
    [
      'an unreadable FormData',
      400,
      MSG_MULTIPART,
      inputFailure(new TypeError('Failed to parse body as FormData.')),
      'auth.signIn',
    ],
    [
      'a body over the limit',
      413,
      'Nội dung yêu cầu quá lớn',
      new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }),
      'auth.signIn',
    ],
    ['an internal failure', 500, 'Lỗi máy chủ nội bộ', internal, 'files.list'],
  ])('%s → %i %s', (_name, status, message, error, path) => {
    const shape = format(error, path);
    expect([shape.data.httpStatus, shape.message]).toEqual([status, message]);
    expect(shape.data).toMatchObject({ appCode: null, body: null, issues: null });
  });

  it.each([
    [
      'PAYLOAD_TOO_LARGE',
      413,
      'File vượt quá giới hạn 50 MB',
      new TRPCError({ code: 'PAYLOAD_TOO_LARGE' }),
    ],
    [
      'BAD_REQUEST',
      400,
      MSG_MULTIPART,
      inputFailure(new TypeError('Failed to parse body as FormData.')),
    ],
  ])(
    'an upload the transport refused (%s, %i) carries the documented upload body',
    (appCode, status, message, error) => {
      for (const path of ['files.upload', 'files.uploadAsync']) {
        const shape = format(error, path);
        expect(shape.message).toBe(message);
        expect(shape.data).toMatchObject({
          httpStatus: status,
          appCode,
          details: { kind: 'upload_refused', filename: '' },
        });
        expect(JSON.stringify(shape.data.body)).toBe(
          `{"filename":"","status":"error","message":"${message}"}`,
        );
      }
    },
  );
});
