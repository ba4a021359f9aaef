// pdfjs-dist ships no types for its worker bundle; pdf-text.ts imports it only for what it sets up.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
