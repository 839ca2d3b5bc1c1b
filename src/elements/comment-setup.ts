import { html } from 'lit';

/**
 * What a comment box without a server address or an episode id says: what it
 * looked for, where, and what to add, so that a blogger can act on it. A chunk:
 * only a box that is not set up needs it.
 */
export function setupHint(missingApi: boolean, episodeHas: 'none' | 'loaded' | 'not-loaded') {
  const missing = missingApi ? 'comments server address' : 'episode id';
  const own = missingApi ? 'api' : 'episode';
  const field = missingApi ? 'comments.api' : 'id';
  const from =
    episodeHas === 'loaded'
      ? html`the episode has no <code>${field}</code>`
      : episodeHas === 'not-loaded'
        ? html`the enclosing <code>&lt;paperledge-episode&gt;</code> has not loaded an episode`
        : html`it is not inside a <code>&lt;paperledge-episode&gt;</code>`;
  return html`<p class="error" part="error">
    Comments are not set up: no ${missing}. This element has no <code>${own}</code> attribute, and ${from}. Add
    <code>${own}="…"</code> to <code>&lt;paperledge-comments&gt;</code>, or <code>${field}</code> to the episode.
  </p>`;
}
