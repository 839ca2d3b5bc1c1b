// The gallery's stage hand: it puts each element into the state its section shows, using the real comments
// server and the real episode files. Only the "loading" and "posting" states need help: their requests are
// held open here, so those states stay on screen. Nothing is answered on the server's behalf.

// A stage that cannot be reached says so on the page, for the tests to report.
const failed = (reason) => (document.documentElement.dataset.galleryReady = `failed: ${reason?.message ?? reason}`);
addEventListener('error', (event) => failed(event.error ?? event.message));
addEventListener('unhandledrejection', (event) => failed(event.reason));

// When each step ended and what the page still waits for, for a test that finds it unsettled to name: a stalled
// gallery then says which wait held it, where its time went, and (by its last tick) whether its timers still ran.
const since = () => `${Math.round(performance.now())} ms`;
const record = (key, text) => (document.documentElement.dataset[key] = text);
const append = (key, text) => record(key, `${document.documentElement.dataset[key] ?? ''} ${text}`);
const log = (what) => append('galleryLog', `${what} at ${since()};`);
// A hidden page may run its timers seconds late (WebKit throttles them more the longer it stays hidden).
document.addEventListener('visibilitychange', () => log(`page ${document.visibilityState}`));

// What the widgets warned about, for a test that finds the page unsettled to name.
const warn = console.warn.bind(console);
console.warn = (...args) => {
  append('galleryWarnings', args.join(' '));
  warn(...args);
};

// A widget that failed says why, for the same report.
addEventListener('paperledge-error', (event) => {
  append('galleryWarnings', `${event.target.localName}: ${event.detail.message}`);
});

const realFetch = window.fetch.bind(window);
const HELD = /\/episodes\/gallery-posting[-/]/;
window.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const held = url.includes('/gallery-hold/') || (method === 'POST' && HELD.test(url));
  return held ? new Promise(() => {}) : realFetch(input, init);
};

/**
 * The sample threads. With `?fresh` (the screenshot tests) each visit gets new ones, so a comment always reads
 * "now" and the page looks the same every time; otherwise the same threads are reused, and seeded only once,
 * since the server limits how many comments one reader posts a minute.
 */
const fresh = new URLSearchParams(location.search).has('fresh');
// `?lang=ja`: the page in another language, as a Japanese blog would be (an Arabic one also writes right to left).
const lang = new URLSearchParams(location.search).get('lang');
if (lang) {
  document.documentElement.lang = lang;
  if (lang === 'ar') document.documentElement.dir = 'rtl';
}
const visit = fresh ? `-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` : '';
const threadId = (name) => `gallery-${name}${visit}`;
// The name a reader last posted under fills every comment form; the tests start each visit without one.
if (fresh) localStorage.removeItem('paperledge:name');

async function post(episode, comment) {
  const response = await realFetch(`/v1/episodes/${episode}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(comment),
  });
  if (!response.ok) throw new Error(`seeding the sample comments: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

const thread = threadId('thread');
const existing = await (await realFetch(`/v1/episodes/${thread}/comments`)).json();
if (existing.comments?.length === 0) await seed(thread);
const waiting = threadId('waiting');
if ((await (await realFetch(`/v1/episodes/${waiting}/comments`)).json()).comments?.length === 0) {
  await post(waiting, { author: 'Ada', body: 'Has anyone tried the open weights yet?' });
}

// A conversation: a reply, a reply to it (which names whom it answers), and a comment its author took back after
// someone replied, which leaves "Comment removed" above the reply.
const conversation = threadId('conversation');
if ((await (await realFetch(`/v1/episodes/${conversation}/comments`)).json()).comments?.length === 0) {
  const ada = await post(conversation, { author: 'Ada', body: 'Does balancing the experts without an extra loss cost any accuracy?' });
  const grace = await post(conversation, {
    author: 'Grace Hopper',
    body: 'The report says it does not: the bias term only steers which experts are picked.',
    parentId: ada.comment.id,
  });
  await post(conversation, { author: 'Linus', body: 'Section 2.1.2 has the numbers.', parentId: grace.comment.id });
  const alan = await post(conversation, { author: 'Alan', body: 'A comment its author took back.' });
  await post(conversation, { author: 'Barbara', body: 'Still readable under the removed one.', parentId: alan.comment.id });
  await realFetch(`/v1/comments/${alan.comment.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${alan.deleteToken}` } });
}

async function seed(thread) {
  await post(thread, {
    author: 'Ada',
    body: 'The part about only waking 37 billion of the 671 billion parameters finally made mixture-of-experts click for me.',
  });
  await post(thread, {
    author: 'Grace Hopper',
    body: 'Good episode. The report itself is long but readable:\nhttps://arxiv.org/abs/2412.19437\nSection 3 is the one to start with.',
  });
}
for (const el of document.querySelectorAll('paperledge-comments[data-thread]')) {
  el.setAttribute('episode', threadId(el.dataset.thread));
}
const deepseek = await (await realFetch('./episodes/deepseek-v3.json')).json();
for (const el of document.querySelectorAll('paperledge-credits[data-authors]')) el.authors = deepseek.paper.authors;

log('threads seeded');
await import('../dist/paperledge.js');
await customElements.whenDefined('paperledge-comments');
log('bundle loaded');

const shadow = (el) => el.shadowRoot;
const pending = new Set();
// A deadline, not a count of tries: a browser under load may run a 25 ms timer a second late (WebKit in CI has).
const until = async (check, ms = 15_000) => {
  pending.add(check);
  record('galleryWaiting', [...pending].join(' | '));
  try {
    const end = performance.now() + ms;
    while (!check() && performance.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      record('galleryTick', since());
    }
    if (!check()) throw new Error(`the gallery did not reach its state: ${check}`);
  } finally {
    pending.delete(check);
    record('galleryWaiting', [...pending].join(' | '));
  }
};
const type = (field, value) => {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
};

const stages = [];
/** The comment length limit of contract 4.2; the counter shows from 90% of it. */
const LIMIT = 5000;

// Listening: stopped at 0:26, in the second line.
for (const el of document.querySelectorAll('paperledge-episode[src*="audio/"]')) {
  stages.push(
    (async () => {
      const audio = () => shadow(el).querySelector('audio');
      await until(() => (audio()?.readyState >= 1 || audio()?.error) && shadow(el).querySelector('[part="play"]'));
      // A browser without an MP3 decoder shows the card at 0:00.
      log(`${el.id || 'dark'} audio ${audio().error ? 'failed' : 'ready'}`);
      if (audio().error) return;
      audio().currentTime = 26;
      await until(() => shadow(el).querySelector('#p-2[data-current]'));
      log(`${el.id || 'dark'} at ${audio().currentTime} s`);
      // The chapter playing is marked too. WebKit under the load of a full test run has left it unmarked now and then
      // (the chapters file still on its way); the line is the state this section shows, so the chapter is waited for
      // but not required, and a miss is recorded for the tests to report.
      // Three seconds at most: after the waits before it, a longer one could use up a test's whole time on WebKit.
      await until(() => shadow(el).querySelector('[part~="chapter"][aria-current]'), 3000).catch(() => {
        append('galleryWarnings', 'no chapter marked at 0:26');
      });
      log(`${el.id || 'dark'} chapter`);
    })(),
  );
}

// Found in: "model", stepped once so the second match is the current one.
stages.push(
  (async () => {
    const el = document.getElementById('find');
    await until(() => shadow(el).querySelector('[part="search"] input'));
    type(shadow(el).querySelector('[part="search"] input'), 'model');
    await until(() => shadow(el).querySelector('mark'));
    shadow(el).querySelector('[part="search"] button:last-of-type').click();
    await until(() => shadow(el).querySelectorAll('mark.current').length === 1);
    // Finding scrolls the match into view; the gallery starts at its top.
    window.scrollTo(0, 0);
    log('found');
  })(),
);

for (const el of document.querySelectorAll('paperledge-credits[data-filter]')) {
  stages.push(
    (async () => {
      await until(() => shadow(el).querySelector('[part="filter"]'));
      type(shadow(el).querySelector('[part="filter"]'), el.dataset.filter);
      await until(() => shadow(el).querySelectorAll('[part="list"] > li').length < 200);
    })(),
  );
}

// Finding scrolls; once it is done, visit each comment box, as a reader scrolling down would: they load near the screen.
await Promise.all(stages);
log('transcripts and credits');
// Firefox under a full test run has now and then left every box of the page idle: the intersection that starts a
// load was never reported, as if the frame were not being rendered (a reader would not see it either). After five
// seconds the box is asked to load, as a scroll would, and the miss is recorded for the tests to report.
const loaded = (el) => () => shadow(el).querySelector('[part="list"], [part="empty"]');
for (const el of document.querySelectorAll('paperledge-comments[data-thread]')) {
  el.scrollIntoView();
  await until(loaded(el), 5000).catch(() => {
    append('galleryWarnings', `${el.getAttribute('episode')} not loaded on scrolling (page ${document.visibilityState})`);
    void el.reload();
  });
  await until(loaded(el));
  log(`${el.dataset.thread} loaded`);
}
// With every box loaded, what readers write in them.
const drafts = [];
for (const el of document.querySelectorAll('paperledge-comments[data-draft]')) {
  drafts.push(
    (async () => {
      await until(() => shadow(el).querySelector('textarea'));
      const body = shadow(el).querySelector('textarea');
      const name = shadow(el).querySelector('input');
      if (el.dataset.draft === 'waiting') {
        // Three links: more than the server shows at once, so it waits for approval, seen only by its author.
        if (localStorage.getItem(`paperledge:pending:/ ${el.getAttribute('episode')}`)) return;
        type(name, 'Sam');
        type(body, 'Sources: https://arxiv.org/abs/2412.19437 https://github.com/deepseek-ai/DeepSeek-V3 https://huggingface.co/deepseek-ai');
        shadow(el).querySelector('[part="submit"]').click();
        await until(() => shadow(el).querySelector('[part="pending"]'));
      } else if (el.dataset.draft === 'long') {
        // Close enough to the limit that the counter shows.
        type(name, 'Sam');
        type(body, 'Mixture of experts, as I understand it now: '.padEnd(LIMIT - 40, ' and more'));
      } else {
        type(name, 'Ernis');
        type(body, 'Thanks for listening, everyone!');
        shadow(el).querySelector('[part="submit"]').click();
        await until(() => shadow(el).querySelector('[part="submit"]').disabled);
      }
    })(),
  );
}

// A reply being written, in place under the comment it answers.
for (const el of document.querySelectorAll('paperledge-comments[data-reply]')) {
  drafts.push(
    (async () => {
      await until(() => shadow(el).querySelector('[part="reply"]'));
      shadow(el).querySelector('[part="reply"]').click();
      await until(() => shadow(el).querySelector('#reply-body'));
      type(shadow(el).querySelector('#reply-author'), 'Sam');
      type(shadow(el).querySelector('#reply-body'), el.dataset.reply);
    })(),
  );
}

await Promise.all(drafts);
log('drafts');
// This reader reported Ada's comment in the "waiting" thread.
const reporting = document.querySelector('paperledge-comments[data-thread="waiting"]');
await until(() => shadow(reporting).querySelector('[part="report"], [part="reported"]'));
shadow(reporting).querySelector('[part="report"]')?.click();
await until(() => shadow(reporting).querySelector('[part="reported"]'));
// Nothing keeps focus: a focused field would blink its caret into the screenshots.
document.activeElement?.blur();
window.scrollTo(0, 0);
document.documentElement.dataset.galleryReady = 'true';
