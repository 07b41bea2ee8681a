// The console's build: Preact through esbuild's automatic JSX runtime, into dist/console/ of the
// package, served by the front door under /console/ (src/server/console-route.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: fileURLToPath(new URL('../dist/console/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The JavaScript budget is measured by bench/console.ts, in the browser.
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
