// Builds the console into dist/, which corpexd serves (config "web_root").
// `npm run dev` proxies the WebSocket to a corpexd on CORPEX_URL.
import { defineConfig } from 'vite';

const target = process.env.CORPEX_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: { proxy: { '/v1': { target, ws: true }, '/health': target } },
});
