import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin } from 'vite';
import { commentsMiddleware, parseConfig } from 'paperledge-comments';
import { LANGUAGES, localeParts } from './scripts/locale-parts.mjs';

// `npm start`: the demo pages in demo/, with the sources served from src/, and
// the comments API on the same origin backed by an embedded SQLite file.
const port = process.env['PORT'] === undefined ? 5173 : Number(process.env['PORT']);
const demoDb = process.env['DEMO_DB'] ?? 'data/demo-comments.db';
const dist = fileURLToPath(new URL('dist/', import.meta.url));

function demoCommentsServer(): Plugin {
  return {
    name: 'paperledge-demo-comments',
    apply: 'serve',
    async configureServer(server) {
      // The demo's episodes are served as `--episodes demo/episodes` would: /v1/episodes/{id}, /embed/{id}, /oembed.
      // Ten posts a minute: the gallery seeds its sample threads on a first visit.
      const episodes = fileURLToPath(new URL('demo/episodes/', import.meta.url));
      const config = parseConfig(['--db', demoDb, '--episodes', episodes, '--posts-per-minute', '10'], {});
      if (typeof config === 'string') return;
      const address = () => {
        const bound = server.httpServer?.address();
        return `http://localhost:${typeof bound === 'object' && bound ? bound.port : port}`;
      };
      const comments = await commentsMiddleware(config, { baseUrl: address });
      server.middlewares.use(comments.handle);
      // The hostile demo pages load the built bundle as embedders do: serve dist/ beside demo/.
      server.middlewares.use('/dist', (req, res, next) => {
        const file = join(dist, normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)));
        if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'application/json');
        createReadStream(file).pipe(res);
      });
      server.httpServer?.once('close', () => void comments.close());
      server.httpServer?.once('listening', () => {
        setTimeout(() => server.config.logger.info(`  ➜  Comments API on the same origin, stored in ${demoDb}\n`), 50);
      });
    },
  };
}

/**
 * Vite wraps each dynamic import in a helper that preloads the chunk's CSS and imports first. Our chunks have neither
 * (styles are in the code; a chunk imports only what the bundle already ran), so the helper is 0.3 KB gzip of the
 * bundle for nothing: it becomes a plain call, and the minifier drops the original.
 */
function noPreloadHelper(): Plugin {
  return {
    name: 'paperledge-no-preload-helper',
    apply: 'build',
    renderChunk: {
      order: 'post',
      handler(code) {
        const helper = 'var __vitePreload = function preload(';
        if (!code.includes(helper)) return null;
        const plain = code
          .replace(/__vitePreload\(\(\) => (import\("[^"]+"(?:, \{[^{}]*\{[^{}]*\}[^{}]*\})?\)), __VITE_PRELOAD__\)/g, '$1')
          // The languages' parts, whose address is built at run time.
          .replace(/__vitePreload\(\(\) => (import\(\s*\/\* @vite-ignore \*\/\s*`[^`]+`\s*\)), __VITE_PRELOAD__\)/g, '$1')
          .replace(helper, 'var __vitePreload = (load) => load();\nvar __unusedVitePreload = function preload(');
        return { code: plain, map: null };
      },
    },
  };
}

/** The elements' words, a file a language and part, written beside the script-tag bundles. */
function localePartFiles(): Plugin {
  return {
    name: 'paperledge-locale-parts',
    apply: 'build',
    enforce: 'pre',
    // The script-tag bundles fetch a language a part at a time, beside themselves; the package's modules, whole files.
    async resolveId(source, importer, options) {
      if (source !== './locale-files.js' || !importer?.endsWith('/src/elements/localize.ts')) return null;
      return this.resolve('./locale-files.bundle.ts', importer, options);
    },
    generateBundle(_options, bundle) {
      // Once, with the bundle of all three elements: the one-element bundles share its dist/ and fetch the same files,
      // and the moderation console's build has words of its own.
      if (!('paperledge.js' in bundle)) return;
      for (const code of LANGUAGES) {
        for (const [part, source] of Object.entries(localeParts(code))) this.emitFile({ type: 'asset', fileName: `locales/${code}/${part}.js`, source });
      }
    },
  };
}

export default defineConfig({
  root: 'demo',
  // `npm run build`: dist/paperledge.js, one minified ES module with Lit inside.
  // Built as an app entry rather than in library mode, which would leave whitespace in.
  build: {
    outDir: dist,
    emptyOutDir: false,
    copyPublicDir: false,
    modulePreload: false,
    minify: true,
    target: 'es2022',
    rolldownOptions: {
      input: fileURLToPath(new URL('src/paperledge.ts', import.meta.url)),
      // Optional parts (the transcript readers) are chunks loaded on demand; what they share with the bundle they import
      // from it, so the bundle stays one file that works alone ('allow-extension' lets it export those few names).
      preserveEntrySignatures: 'allow-extension',
      output: {
        entryFileNames: 'paperledge.js',
        // The moderation console's languages keep their names (admin/locales/de.js): its bundle names eleven, and
        // names alike compress to almost nothing, where hashes would not. Each is data with no imports.
        chunkFileNames: (chunk) => {
          const language = /admin\/locales\/([\w-]+)\.json$/.exec(chunk.facadeModuleId ?? '');
          return language ? `admin/locales/${language[1]}.js` : 'chunks/[name]-[hash].js';
        },
        format: 'es',
      },
    },
  },
  server: {
    port,
    // A port someone asked for must be that port, not the next free one.
    strictPort: process.env['PORT'] !== undefined,
    fs: { allow: ['..'] },
  },
  plugins: [
    demoCommentsServer(),
    noPreloadHelper(),
    localePartFiles(),
    // Lit's html`` and css`` templates are strings a minifier leaves alone: squeeze them at build time.
    { ...minifyHtmlLiterals({ include: ['src/**/*.ts'], failOnError: true }), apply: 'build' },
  ],
});
