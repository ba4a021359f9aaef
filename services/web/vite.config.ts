import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/** Built to dist/ and served by the gateway at /app (every asset is local: the app works offline). */
export default defineConfig({
  base: '/app/',
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Inlined images would hide in JS; there are none, and the CSS stays one file.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
  server: {
    // `pnpm --filter @rag/web dev` against a gateway on :8001.
    proxy: { '/trpc': 'http://127.0.0.1:8001' },
  },
});
