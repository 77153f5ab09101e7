import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by `shoplake serve` from web/dist; everything is bundled (no request leaves the machine).
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:7420', '/healthz': 'http://127.0.0.1:7420' } },
});
