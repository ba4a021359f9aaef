import { STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';

import type { Logger } from 'pino';

/** Node's HTTP parser codes → the status a client should see (the rest are malformed requests). */
const STATUS_BY_CODE: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Tiêu đề yêu cầu quá lớn'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Nội dung yêu cầu quá lớn'],
};

/**
 * Requests Node refuses before Express sees them (headers too large, a malformed request line) get
 * the same JSON body as every other error instead of Node's bare `400 Bad Request` (issue 10).
 */
export function answerClientErrors(server: Server, log: Logger) {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // A reset or timed-out connection has nobody left to answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, detail] = STATUS_BY_CODE[err.code ?? ''] ?? [400, 'Yêu cầu không hợp lệ'];
    log.info({ code: err.code, status }, 'refused a malformed HTTP request');
    const body = JSON.stringify({ detail });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
}
