import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app: root web/, built to web/dist and served by the API server (src/http/app.ts).
// `npx vite --config web/vite.config.ts` serves it with hot reload, proxying the API to :3000.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: { '/v1': { target: process.env.ACCRUE_API_URL ?? 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/v1': { target: process.env.ACCRUE_API_URL ?? 'http://127.0.0.1:3000' } },
  },
});
