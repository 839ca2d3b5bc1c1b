import { defineConfig } from 'vite';

// `npm start`: the demo pages in demo/, with the sources served from src/.
const port = process.env['PORT'] === undefined ? 5173 : Number(process.env['PORT']);

export default defineConfig({
  root: 'demo',
  server: {
    port,
    // A port someone asked for must be that port, not the next free one.
    strictPort: process.env['PORT'] !== undefined,
    fs: { allow: ['..'] },
  },
});
