import { describe, expect, it } from 'vitest';

import { AppError, documentedErrorBody } from '@rag/core';
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
