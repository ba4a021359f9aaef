// A script as a user writes it after `npm install @rag/client`: type-checked by the pack test under
// NodeNext, Node16 and Bundler, compiled, then run with plain node against a real gateway.
import { EventSource } from 'eventsource';

import {
  askStream,
  createRagClient,
  createRestClient,
  RagClientError,
  uploadFile,
  type AppErrorCode,
  type RouterInputs,
  type RouterOutputs,
  type UploadProgress,
} from '@rag/client';

// No @types/node: the client's types must stand on their own (DOM lib only).
declare const process: { env: Record<string, string | undefined>; exitCode?: number };

const url = `${process.env.RAG_URL}/trpc`;
const out: Record<string, unknown> = {};

/** Never called: each line is a mistake the types must catch (unused expectations fail the check). */
export function typeErrors(c: ReturnType<typeof createRagClient>) {
  // @ts-expect-error the file is named by a string
  void c.files.delete.mutate({ filename: 42 });
  // @ts-expect-error no such procedure
  void c.files.rename.mutate({});
  // @ts-expect-error the question is a string
  const input: RouterInputs['ask']['stream'] = { question: 42 };
  // @ts-expect-error total_files is a number
  const total: RouterOutputs['files']['list']['total_files'] = 'many';
  // @ts-expect-error not a domain code
  const code: AppErrorCode = 'TEAPOT';
  return [input, total, code];
}

const anon = createRagClient({ url });
const email = `pack-${Date.now()}@example.com`;
const auth = await anon.auth.signUp.mutate({ email, password: 'Pw-pack-test-Aa1' });
const token: string = auth.access_token;
out.email = auth.user.email;

const client = createRagClient({ url, getToken: () => token, EventSource });

const stages: UploadProgress['stage'][] = [];
const form = new File(
  ['# Biến trong JavaScript\n\nĐể tạo biến trong JavaScript, dùng từ khóa let.\n'],
  'bien.md',
  { type: 'text/markdown' },
);
const uploaded = await uploadFile(client, form, {
  category: 'pack',
  onProgress: (p) => stages.push(p.stage),
});
out.uploaded = uploaded.filename;
out.stages = stages;

// Plain FormData through the typed procedure, as the users do.
const fd = new FormData();
fd.append('file', new File(['Ghi chú thứ hai về hằng số const.\n'], 'const.txt'));
const second = await client.files.upload.mutate(fd);
out.second = second.chunks_count;

const files = await client.files.list.query();
out.files = files.files.map((f) => f.filename).sort();

const stream = askStream(client, {
  question: 'Để tạo biến trong JavaScript, dùng từ khóa nào?',
  file_id: [uploaded.file_id!],
});
const kinds: string[] = [];
for await (const e of stream) kinds.push(e.event);
out.events = [...new Set(kinds)];
out.answer = await stream.finalAnswer();
out.sources = (await stream.sources()).map((s) => s.source_filename);

const conversations = await client.conversations.list.query({ page: 1, page_size: 10 });
out.conversations = conversations.data.length;

const rest = createRestClient({ baseUrl: `${process.env.RAG_URL}/api`, getToken: () => token });
out.restFiles = (await rest.files.list()).total_files;

const err = await createRagClient({ url, getToken: () => 'bad' })
  .files.list.query()
  .catch((e: unknown) => e);
out.error =
  err instanceof RagClientError
    ? { code: err.code, status: err.status, message: err.message }
    : null;

console.log(JSON.stringify(out));
