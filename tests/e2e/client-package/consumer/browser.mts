// What a Vite/Next app imports: bundled by the pack test for the browser, where no Node built-in exists.
import { askStream, createRagClient, uploadFile } from '@rag/client';

const client = createRagClient({ url: '/trpc', getToken: () => localStorage.getItem('token') });
export async function ask(question: string, fileId: string) {
  return askStream(client, { question, file_id: [fileId] }).finalAnswer();
}
export async function upload(file: File) {
  return uploadFile(client, file, { onProgress: (p) => (document.title = p.stage) });
}
