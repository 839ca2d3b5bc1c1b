// The script-tag bundles, each one self-contained minified ES module with Lit inside:
// paperledge.js defines all three elements; paperledge-<element>.js defines one, for
// pages that show only that element (a university page with just the authors).
// Built one by one, since a multi-entry build would split Lit into a shared chunk.
import { build } from 'vite';

const BUNDLES = {
  'paperledge.js': 'src/paperledge.ts',
  'paperledge-episode.js': 'src/define/paperledge-episode.ts',
  'paperledge-credits.js': 'src/define/paperledge-credits.ts',
  'paperledge-comments.js': 'src/define/paperledge-comments.ts',
  // The comments server's moderation console: the owner's tools, apart from what readers load.
  'admin/console.js': 'src/admin/console.ts',
};

const root = new URL('..', import.meta.url);

for (const [file, entry] of Object.entries(BUNDLES)) {
  await build({
    configFile: new URL('vite.config.ts', root).pathname,
    logLevel: 'warn',
    build: { rolldownOptions: { input: new URL(entry, root).pathname, output: { entryFileNames: file } } },
  });
}
