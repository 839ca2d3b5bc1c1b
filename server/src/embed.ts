import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Context, Hono } from 'hono';
import { type Episode, blockText, canonicalLanguage, isEpisodeId } from 'paperledge-widgets/model';
import { type Env, apiError, badEpisodeId } from './app.js';
import type { EpisodeLibrary } from './episodes.js';
import { readerText } from './reader-language.js';
import { noSuchScript, sendScript } from './scripts.js';

/**
 * Episodes from a folder (`{id}.json` or `{id}.txt`), and the pages that let a
 * host without scripts embed one: `/embed/{id}` for an iframe, `/oembed` for
 * CMSs that speak oEmbed, and the scripts those pages load.
 */

const EMBED_WIDTH = 720;
const EMBED_HEIGHT = 900;
/** The browser files the embed pages load, from the built package. */
const ASSETS: Record<string, string> = {
  'paperledge.js': 'paperledge.js',
  'frame.js': 'embed/frame.js',
  'resize.js': 'embed/resize.js',
  'messages.js': 'embed/messages.js',
};

/** The widgets package's dist/, wherever npm put it (a workspace link in the repo, node_modules when installed). */
export function distDir(): string {
  const pkg = createRequire(import.meta.url).resolve('paperledge-widgets/package.json');
  return join(dirname(pkg), 'dist');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The transcript as plain markup, so the embed is readable before and without its script. */
function transcriptMarkup(episode: Episode): string {
  return episode.transcript
    .map((block) => {
      if (block.type === 'list') return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
      const tag = block.type === 'quote' ? 'blockquote' : 'p';
      return `<${tag}>${escapeHtml(blockText(block))}</${tag}>`;
    })
    .join('\n');
}

/** `?theme=` of an embed page (contract 7.6): anything else is `auto`. */
export type EmbedTheme = 'light' | 'dark' | 'auto';

export function embedTheme(value: string | undefined): EmbedTheme {
  return value === 'light' || value === 'dark' ? value : 'auto';
}

/**
 * The page's own colours: light and dark are opaque and the same as the elements' own themes, so the frame is one
 * even surface on any host; auto follows the reader's setting with the system's canvas colours. No padding, so the
 * text lines up with the host's; the frame's width is the limit, not the elements' maximum width.
 */
const THEME_CSS: Record<EmbedTheme, string> = {
  light: 'color-scheme:light;background:#fff;color:#1f2328',
  dark: 'color-scheme:dark;background:#1b1c1f;color:#e8eaed',
  auto: 'color-scheme:light dark;background:Canvas;color:CanvasText',
};

/**
 * `?lang=` of an embed page: the language the elements speak (contract 7.6), as a host page would set it on its own
 * `<html>`; English without one, or for a tag that is not a language tag.
 */
export function embedLanguage(value: string | undefined): string {
  return (value && canonicalLanguage(value)) || 'en';
}

function embedPage(episode: Episode, base: string, theme: EmbedTheme, lang: string): string {
  const title = escapeHtml(episode.title);
  const themed = theme === 'auto' ? '' : ` theme="${theme}"`;
  const embedUrl = `${base}/embed/${episode.id}`;
  const oembed = `${base}/oembed?url=${encodeURIComponent(embedUrl)}&format=json`;
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — PaperLedge</title>
<link rel="alternate" type="application/json+oembed" href="${escapeHtml(oembed)}" title="${title}">
<link rel="canonical" href="${escapeHtml(embedUrl)}">
<style>html{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;${THEME_CSS[theme]}}body{margin:0;padding:0}main{--paperledge-max-width:none}</style>
<script type="module" src="/embed/paperledge.js"></script>
<script type="module" src="/embed/frame.js"></script>
</head>
<body>
<main>
<paperledge-episode src="/v1/episodes/${episode.id}" episode-id="${episode.id}" episode-title="${title}" heading-level="1"${themed}>
<h1>${title}</h1>
${transcriptMarkup(episode)}
<paperledge-credits${themed}></paperledge-credits>
<paperledge-comments api="/" episode="${episode.id}"${themed}></paperledge-comments>
</paperledge-episode>
</main>
</body>
</html>
`;
}

/** The small page an iframe shows for an episode this server does not have: the reader sees a sentence, not JSON. */
function missingPage(id: string, lang: string): string {
  const title = readerText(lang, 'embed_missing_title') ?? 'Episode not found';
  const text =
    readerText(lang, 'embed_missing_text', { id }) ??
    `This comments server has no episode called “${id}”. The page that embeds it may have a typo in its address, or the episode was removed.`;
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} — PaperLedge</title>
<style>html{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color-scheme:light dark}body{margin:0;padding:1em 0}</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body>
</html>
`;
}

export function episodeRoutes(catalog: EpisodeLibrary, baseUrl: () => string) {
  const dist = distDir();

  function load(c: Context<Env>, id: string): Episode | Response {
    if (!isEpisodeId(id)) return badEpisodeId(c, id);
    return catalog.get(id) ?? apiError(c, 404, 'not_found', `There is no episode "${id}" on this server.`);
  }

  return (app: Hono<Env>) => {
    app.get('/v1/episodes', (c) => c.json({ episodes: catalog.list() }));

    app.get('/v1/episodes/:id', (c) => {
      const episode = load(c, c.req.param('id'));
      if (episode instanceof Response) return episode;
      return c.json({ ...episode, comments: episode.comments ?? { api: baseUrl() } });
    });

    app.get('/embed/:name{[a-z]+\\.js}', (c) => {
      const file = ASSETS[c.req.param('name')];
      if (!file) return apiError(c, 404, 'not_found', 'No such embed script.');
      return sendScript(c, join(dist, file), {
        cacheControl: 'public, max-age=300',
        // Host pages load resize.js cross-origin as a module, which needs CORS.
        headers: { 'Access-Control-Allow-Origin': '*' },
        missing: (c) => apiError(c, 503, 'not_built', 'The embed scripts are missing: run `npm run build` where the server is installed.'),
      });
    });

    // Chunks the embed bundle loads on demand (the transcript readers), beside it as in dist/; their names change
    // with their content.
    app.get('/embed/chunks/:file{[a-z-]+-[\\w-]{8}\\.js}', (c) =>
      sendScript(c, join(dist, 'chunks', c.req.param('file')), { cacheControl: 'public, max-age=31536000, immutable', missing: noSuchScript }),
    );
    // A language's words, a file a part of the page, fetched by the embed bundle only on a page in that language.
    app.get('/embed/locales/:code{[a-z]{2,3}}/:part{[a-z]+\\.js}', (c) =>
      sendScript(c, join(dist, 'locales', c.req.param('code'), c.req.param('part')), { cacheControl: 'public, max-age=300', missing: noSuchScript }),
    );

    app.get('/embed/:id', (c) => {
      const id = c.req.param('id');
      const episode = isEpisodeId(id) ? catalog.get(id) : undefined;
      const headers = {
        'Content-Security-Policy':
          "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
      };
      const lang = embedLanguage(c.req.query('lang'));
      if (episode === undefined) return c.html(missingPage(id, lang), 404, headers);
      return c.html(embedPage(episode, baseUrl(), embedTheme(c.req.query('theme')), lang), 200, headers);
    });

    app.get('/oembed', async (c) => {
      const format = c.req.query('format') ?? 'json';
      if (format !== 'json') {
        return apiError(c, 501, 'format_not_supported', `Only format=json is offered, not "${format}".`);
      }
      const url = c.req.query('url');
      const base = baseUrl();
      let given: URL;
      try {
        given = new URL(url ?? '');
      } catch {
        return apiError(c, 400, 'invalid_url', `url must be the address of an episode embed, like ${base}/embed/deepseek-v3.`, 'url');
      }
      // Only this server's own public address: never an iframe pointing wherever the request says.
      const path = given.origin === new URL(base).origin && given.pathname.startsWith(new URL(base).pathname.replace(/\/$/, ''))
        ? given.pathname.slice(new URL(base).pathname.replace(/\/$/, '').length)
        : undefined;
      const id = path === undefined ? undefined : /^\/(?:embed|v1\/episodes)\/([^/]+)\/?$/.exec(path)?.[1];
      if (id === undefined) return apiError(c, 404, 'not_found', `${url} is not an episode embed of this server (${base}).`);
      const episode = load(c, id);
      if (episode instanceof Response) return episode;
      const limit = (name: string, fallback: number) => {
        const value = Number(c.req.query(name));
        return Number.isFinite(value) && value > 0 ? Math.min(Math.floor(value), fallback) : fallback;
      };
      const width = limit('maxwidth', EMBED_WIDTH);
      const height = limit('maxheight', EMBED_HEIGHT);
      // The language asked for in the embed's address stays with the iframe.
      const lang = given.searchParams.get('lang');
      const src = `${base}/embed/${episode.id}${lang ? `?lang=${encodeURIComponent(embedLanguage(lang))}` : ''}`;
      const html =
        `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(`PaperLedge: ${episode.title}`)}"` +
        ` style="border:0;width:100%;max-width:${width}px" loading="lazy"></iframe>` +
        `<script type="module" src="${escapeHtml(`${base}/embed/resize.js`)}"></script>`;
      // Public data, and some consumers ask for it from a browser: any page may read it.
      c.header('Access-Control-Allow-Origin', '*');
      return c.json({
        version: '1.0',
        type: 'rich',
        title: episode.title,
        provider_name: 'PaperLedge',
        provider_url: base,
        cache_age: 3600,
        html,
        width,
        height,
      });
    });
  };
}
