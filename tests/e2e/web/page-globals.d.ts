// What the web tests' init scripts record in the page, read back with page.evaluate.
export {};

declare global {
  interface Window {
    /** Layout shifts not caused by input (web-app.test.ts). */
    __shifts: number[];
    /** Every stage each upload row showed, by file name (web-uploads.test.ts). */
    __stages: Record<string, string[]>;
  }
}
