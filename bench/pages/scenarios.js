// Benchmark scenarios run inside the page, against the built bundle.
// Plain JavaScript, loaded as a module, so no build tool rewrites what runs here.
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
const nodes = (el) => el.querySelectorAll('*').length + (el.shadowRoot ? el.shadowRoot.querySelectorAll('*').length : 0);

/** Long tasks and layout shifts from now until stop(). */
function observe() {
  let longest = 0;
  let cls = 0;
  const tasks = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  tasks.observe({ type: 'longtask' });
  const shifts = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) cls += entry.value;
  });
  shifts.observe({ type: 'layout-shift' });
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const entry of tasks.takeRecords()) longest = Math.max(longest, entry.duration);
      for (const entry of shifts.takeRecords()) if (!entry.hadRecentInput) cls += entry.value;
      tasks.disconnect();
      shifts.disconnect();
      return { longestTask: longest, cls };
    },
  };
}

/**
 * A reader's click, through the browser's input pipeline (the runner exposes
 * `realClick`), so that layout shift right after it is excused as it is for a
 * person; an element's click() is not input and every shift after it counts.
 */
function click(el, part) {
  return window.realClick(`${el.localName} [part="${part}"]`);
}

/**
 * Mounts `el` above a paragraph of host content, as a blog post has: shifts of that paragraph are layout shift.
 * With `fold`, the article above it is taller than the window, so `el` starts just below the fold.
 */
function mount(el, fold = false) {
  const below = document.createElement('p');
  below.textContent = 'The host page continues below the widget.';
  if (fold) {
    const article = document.createElement('p');
    article.style.height = `${window.innerHeight + 100}px`;
    article.textContent = 'The article the comments are about.';
    document.body.append(article);
  }
  document.body.append(el, below);
}

async function measure(el, start, done) {
  // A task of its own: what the scenario built before (3,000 blocks of data, say) is not the widget's long task.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const watch = observe();
  const t0 = performance.now();
  await start();
  await done();
  await el.updateComplete;
  await frame();
  const ms = performance.now() - t0;
  return { ms, ...(await watch.stop()), nodes: nodes(el) };
}

export async function episodeFromSrc(src) {
  const el = document.createElement('paperledge-episode');
  el.setAttribute('src', src);
  const loaded = new Promise((resolve) => el.addEventListener('paperledge-load', resolve, { once: true }));
  return measure(el, () => mount(el), () => loaded);
}

/**
 * The fixture episode with its credits and comment box on a page in `lang`, until the transcript is in and the
 * page's language has arrived (the find box's label no longer English): what the switch from English adds to
 * layout shift shows beside the same page in English.
 */
export async function episodeInLanguage(src, lang) {
  document.documentElement.lang = lang;
  const el = document.createElement('paperledge-episode');
  el.setAttribute('src', src);
  el.append(document.createElement('paperledge-credits'), document.createElement('paperledge-comments'));
  const label = () => el.shadowRoot?.querySelector('label[for="find"]')?.textContent;
  return measure(
    el,
    () => mount(el),
    async () => {
      while (!el.shadowRoot?.querySelector('.block') || (lang !== 'en' && label() === 'Find in transcript')) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  );
}

class FakeMedia extends HTMLElement {
  currentTime = 0;
  duration = 3 * 3600;
  paused = false;
  readyState = 4;
  playbackRate = 1;
  play() {}
}

/** A 3-hour episode: 3,000 timed blocks, about 27,000 words; then the cost of one highlight update. */
export async function longTranscript() {
  if (!customElements.get('fake-media')) customElements.define('fake-media', FakeMedia);
  const media = document.createElement('fake-media');
  media.id = 'fake-media';
  document.body.append(media);
  const words = 'mixture experts attention latent routing tokens training balance model'.split(' ');
  const transcript = Array.from({ length: 3000 }, (_, i) => ({
    type: 'paragraph',
    text: Array.from({ length: 9 }, (_, w) => words[(i + w) % words.length]).join(' ') + '.',
    start: i * 3.6,
    end: (i + 1) * 3.6,
    speaker: i % 2 ? 'Sam' : 'Ernis',
  }));
  const el = document.createElement('paperledge-episode');
  el.setAttribute('for', 'fake-media');
  const all = async () => {
    while (el.shadowRoot.querySelectorAll('.block').length < transcript.length) await new Promise((r) => setTimeout(r, 5));
  };
  const render = await measure(el, () => {
    el.episode = { id: 'three-hours', title: 'Three hours', transcript };
    mount(el);
  }, all);
  const costs = [];
  for (let i = 0; i < 200; i++) {
    media.currentTime = 1500 * 3.6 + i * 3.6 + 0.5;
    const t0 = performance.now();
    media.dispatchEvent(new Event('timeupdate'));
    costs.push(performance.now() - t0);
  }
  costs.sort((a, b) => a - b);
  return { render, highlightMs: costs[Math.floor(costs.length / 2)] };
}

export async function credits(count) {
  const el = document.createElement('paperledge-credits');
  el.authors = Array.from({ length: count }, (_, i) => `Author Number ${i + 1}`);
  const collapsed = await measure(el, () => mount(el), () => el.updateComplete);
  const expanded = await measure(
    el,
    () => click(el, 'toggle'),
    async () => {
      while (el.shadowRoot.querySelectorAll('[part="list"] > li').length < count) await new Promise((r) => setTimeout(r, 5));
    },
  );
  const input = el.shadowRoot.querySelector('[part="filter"]');
  const filtered = await measure(
    el,
    () => {
      input.value = 'number 49';
      input.dispatchEvent(new Event('input'));
    },
    () => el.updateComplete,
  );
  return { collapsed, expanded, filtered };
}

/** The first page of a thread that loads just below the fold, where comment boxes sit: nothing the reader sees may move. */
export async function commentsBelowFold(api, episode) {
  const el = document.createElement('paperledge-comments');
  el.setAttribute('api', api);
  el.setAttribute('episode', episode);
  return measure(
    el,
    () => mount(el, true),
    async () => {
      while (!el.shadowRoot?.querySelector('[part="comment"]')) await new Promise((resolve) => setTimeout(resolve, 5));
    },
  );
}

/** All comments of a thread, 50 at a time through "Load more". */
export async function comments(api, episode, expected) {
  const el = document.createElement('paperledge-comments');
  el.setAttribute('api', api);
  el.setAttribute('episode', episode);
  const count = () => el.shadowRoot.querySelectorAll('[part="comment"]').length;
  const until = async (test) => {
    while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return measure(
    el,
    () => mount(el),
    async () => {
      await until(() => count() > 0);
      while (count() < expected) {
        const before = count();
        await click(el, 'load-more');
        await until(() => count() > before);
      }
    },
  );
}

/**
 * The same 1,000 comments in Waline's own client (3.13, its script and stylesheet), 50 a page through its
 * "Load More", from its own server: what a blogger who picked Waline instead would show. Waline's extras that
 * fetch from other hosts (emoji from a CDN, page views, reactions, search) are off; its avatars still point to
 * libravatar.org, which cannot be reached here and fails at once.
 */
export async function walineComments(serverURL, path, expected) {
  const dist = '/bench/peers/node_modules/@waline/client/dist/';
  const { init } = await import(`${dist}waline.js`);
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = `${dist}waline.css`;
  const styled = new Promise((resolve) => (style.onload = resolve));
  document.head.append(style);
  await styled;
  const el = document.createElement('div');
  const count = () => el.querySelectorAll('.wl-card-item').length;
  const until = async (test) => {
    while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return measure(
    el,
    () => {
      mount(el);
      init({ el, serverURL, path, lang: 'en', pageSize: 50, emoji: false, search: false, reaction: false, pageview: false, comment: false });
    },
    async () => {
      await until(() => count() > 0);
      while (count() < expected) {
        const before = count();
        await window.realClick('[data-waline] .wl-operation button >> nth=-1');
        await until(() => count() > before);
      }
    },
  );
}
