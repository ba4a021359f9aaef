/**
 * Request examples that work as-is in Swagger UI's "Try it out" (issue 13.7). Without them the page
 * fills bodies from the schemas: `"string"` for every text, `-9007199254740991` for integers, an
 * invented `conversation_id` that answers 404. Keyed by operationId; the OpenAPI test fails for a
 * JSON or multipart body without an entry here.
 */
export const REQUEST_EXAMPLES: Record<string, Record<string, unknown>> = {
  postApiAuthSignup: { email: 'ban.doc@example.com', password: 'MatKhau2026!' },
  postApiAuthLogin: { email: 'ban.doc@example.com', password: 'MatKhau2026!' },
  postApiAuthRefresh: { refresh_token: 'paste the refresh_token returned by /api/auth/login' },
  postApiAuthGoogle: { code: 'the code Google returned to your redirect_url', provider: 'google' },
  postApiAuthForgotPassword: { email: 'ban.doc@example.com' },
  postApiAuthResetPassword: {
    password: 'MatKhauMoi2026!',
    access_token: 'the token from the reset link in the e-mail',
  },
  // No file_id: the answer is the documented 400 listing the caller's files to choose from.
  postApiAskStream: {
    question: 'Tài liệu nói gì về thời hạn thanh toán?',
    search_type: 'hybrid',
    alpha: 0.7,
  },
  postApiUpload: { category: 'hop-dong', upload_id: 'upload-1' },
  postApiCollectionsDeleteByFilter: {
    filter: { must: [{ key: 'category', match: { value: 'hop-dong' } }] },
  },
  postApiSqlAnalyze: {
    sql_query:
      "SELECT * FROM orders WHERE status = 'paid' OR status = 'shipped' ORDER BY created_at",
    database_context: 'postgresql',
  },
  patchApiConversationsByConversationId: { title: 'Hợp đồng thuê văn phòng 2026' },
  postApiV1ChatHistory: {
    name_app: 'email-sync',
    input_text: 'Khi nào hợp đồng hết hạn?',
    output_text: 'Hợp đồng hết hạn ngày 31/12/2026.',
    conversation_id: 'mail-thread-2026-12-01',
    email: 'ban.doc@example.com',
  },
};

type Json = Record<string, unknown>;
const SAFE_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * zod writes `z.number().int()` as the safe-integer range; those bounds say nothing to a reader and
 * become Swagger's sample values, so they are dropped (the validators still enforce them).
 */
function dropSafeIntegerBounds(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach(dropSafeIntegerBounds);
  const obj = node as Json;
  for (const key of ['minimum', 'maximum'])
    if (SAFE_BOUNDS.has(obj[key] as number)) delete obj[key];
  Object.values(obj).forEach(dropSafeIntegerBounds);
}

/** Puts each operation's example on its request body (per field too, for multipart forms). */
export function applyRequestExamples<T extends object>(doc: T): T {
  dropSafeIntegerBounds(doc);
  const paths = (doc as { paths?: Record<string, Record<string, Json>> }).paths ?? {};
  for (const ops of Object.values(paths)) {
    for (const op of Object.values(ops)) {
      const example = REQUEST_EXAMPLES[op.operationId as string];
      const content = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content;
      if (!example || !content) continue;
      for (const [type, media] of Object.entries(content)) {
        const props = (media.schema as { properties?: Record<string, Json> })?.properties;
        // Swagger UI fills form fields from each property's own example (a file cannot be one).
        if (type === 'multipart/form-data' && props) {
          for (const [name, value] of Object.entries(example))
            if (props[name]) props[name].example = value;
        } else media.example = example;
      }
    }
  }
  return doc;
}
