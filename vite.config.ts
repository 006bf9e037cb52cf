import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web client: client/ is Vite's root, the build lands in dist/client, which the server serves at /.
// `npx vite` serves the client with hot reload and proxies the API to a server on :8080
// (`DATA_DIR=… PORT=8080 npx tsx server/main.ts`).
// The proxied prefixes are also URL space of the dev server's own modules (client/<folder>/…): no
// folder directly under client/ may be called api/ or healthz/.
const API_TARGET = 'http://127.0.0.1:8080';
const proxy = { '/api/': { target: API_TARGET }, '/healthz': { target: API_TARGET } };

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  // Absolute /assets/… URLs (the default base): the server answers deep links (/grid/…) with the same shell.
  base: '/',
  plugins: [react()],
  // client/public/ holds the public page's source (see below), not static files to copy as they are.
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    // Two pages: the command centre (index.html, served at /) and the public disclosure page
    // (public.html, served at /public). `rolldownOptions` is Vite 8's name for `rollupOptions`.
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        public: fileURLToPath(new URL('./client/public.html', import.meta.url)),
      },
    },
    // maplibre-gl is one ~1 MB module and its worker another ~0.5 MB; neither splits usefully.
    chunkSizeWarningLimit: 1600,
  },
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
});
