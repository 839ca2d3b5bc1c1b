// The moderation console's security (contract 7.4): the page under a strict CSP, sign-in by token in a body for an
// HttpOnly SameSite=Strict session cookie, CSRF on every change, wrong tokens rate-limited, the token never in a
// URL or a log line, and every admin route closed without a session.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { request } from './support/http.js';
import { type TestServer, episodeId, removeDir, startTestServer } from './support/server.js';

const ADMIN = 'admin-token-for-console-tests-0123';

/** `name=value` of a Set-Cookie header, and its attributes. */
function cookieOf(header: string | string[] | undefined): { pair: string; attributes: string[] } {
  const line = Array.isArray(header) ? header[0]! : header!;
  const [pair, ...attributes] = line.split(/;\s*/);
  return { pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

describe('the moderation console', () => {
  let server: TestServer;
  let https: TestServer;
  before(async () => {
    server = await startTestServer(['--admin-token', ADMIN, '--moderation', 'pre', '--posts-per-minute', '1000']);
    https = await startTestServer(['--admin-token', ADMIN, '--public-url', 'https://comments.example.org']);
  });
  after(async () => {
    for (const s of [server, https]) {
      await s.close();
      removeDir(s.dir);
    }
  });

  const signIn = async (target = server, from = '127.0.0.41') => {
    const answer = await request(`${target.url}/admin/session`, { body: { token: ADMIN }, localAddress: from });
    assert.equal(answer.status, 200);
    return { cookie: cookieOf(answer.headers['set-cookie']), csrf: answer.json.csrf as string };
  };

  it('serves its page with a strict CSP, nothing inline, and no token in it', async () => {
    const page = await request(`${server.url}/admin`);
    assert.equal(page.status, 200);
    assert.equal(
      page.headers['content-security-policy'],
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
    );
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.text, /<script type="module" src="admin\/console.js"><\/script>/);
    assert.doesNotMatch(page.text, /<style|\sstyle=|\son\w+=/i);
    const script = await request(`${server.url}/admin/console.js`);
    assert.equal(script.status, 200);
    assert.match(String(script.headers['content-type']), /^text\/javascript/);
    assert.match(script.text, /paperledge-moderation/);
  });

  it('serves its page in the owner\'s language (Accept-Language), and the console\'s words for it beside its script', async () => {
    const page = await request(`${server.url}/admin`, { headers: { 'Accept-Language': 'ja,en;q=0.5' } });
    assert.match(page.text, /<html lang="ja">/);
    assert.match(page.text, /<title>モデレーション — PaperLedge のコメント<\/title>/);
    assert.equal(page.headers['vary'], 'Accept-Language');
    assert.match((await request(`${server.url}/admin`)).text, /<html lang="en">[\s\S]*<title>Moderation — PaperLedge comments<\/title>/);
    const words = await request(`${server.url}/admin/locales/ja.js`);
    assert.equal(words.status, 200);
    assert.match(String(words.headers['content-type']), /^text\/javascript/);
    assert.ok(words.text.includes('サインイン'));
    assert.equal((await request(`${server.url}/admin/locales/xx.js`)).status, 404);
    // Its bundle names every language it may fetch, at the address the page serves them.
    const script = (await request(`${server.url}/admin/console.js`)).text;
    for (const lang of ['ar', 'de', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt', 'zh']) assert.ok(script.includes(`./locales/${lang}.js`), lang);
  });

  it('signs in with the token in a JSON body for an HttpOnly, SameSite=Strict session cookie that expires, Secure behind https', async () => {
    const { cookie, csrf } = await signIn();
    assert.match(cookie.pair, /^paperledge_admin=\d+\.[\w-]+\.[\w-]+$/);
    assert.ok(!cookie.pair.includes(ADMIN));
    for (const flag of ['httponly', 'samesite=strict', 'path=/', 'max-age=43200']) assert.ok(cookie.attributes.includes(flag), flag);
    assert.ok(!cookie.attributes.includes('secure'), 'no Secure flag over plain http, or the browser would drop the cookie');
    assert.match(csrf, /^[\w-]{40,}$/);
    const secure = await signIn(https, '127.0.0.42');
    assert.ok(secure.cookie.attributes.includes('secure'));
    // The session says who is signed in, and gives the CSRF token again after a reload.
    const session = await request(`${server.url}/admin/session`, { headers: { Cookie: cookie.pair } });
    assert.deepEqual(session.json, { csrf });
  });

  it('refuses a change without the CSRF token, or with another session\'s, and takes it with its own', async () => {
    const id = episodeId();
    const posted = await request(server.comments(id), { body: { body: 'Waiting for the owner' } });
    assert.equal(posted.status, 202);
    const commentId = posted.json.comment.id;
    const { cookie, csrf } = await signIn();
    const other = await signIn(server, '127.0.0.43');
    const approve = (headers: Record<string, string>) => request(`${server.url}/v1/admin/comments/${commentId}/approve`, { method: 'POST', headers });
    for (const headers of [{ Cookie: cookie.pair }, { Cookie: cookie.pair, 'X-CSRF-Token': other.csrf }, { Cookie: cookie.pair, 'X-CSRF-Token': 'x' }] as Record<string, string>[]) {
      const refused = await approve(headers);
      assert.equal(refused.status, 403);
      assert.equal(refused.json.error.code, 'csrf');
    }
    assert.equal((await request(server.comments(id))).json.total, 0, 'nothing changed');
    // Reads need no CSRF token; changes need the session's own.
    assert.equal((await request(`${server.url}/v1/admin/comments?status=pending`, { headers: { Cookie: cookie.pair } })).status, 200);
    assert.equal((await approve({ Cookie: cookie.pair, 'X-CSRF-Token': csrf })).status, 200);
    assert.equal((await request(server.comments(id))).json.total, 1);
    // The console deletes with its session too.
    const gone = await request(`${server.url}/v1/comments/${commentId}`, { method: 'DELETE', headers: { Cookie: cookie.pair, 'X-CSRF-Token': csrf } });
    assert.equal(gone.status, 204);
  });

  it('refuses a forged or expired session cookie', async () => {
    const { cookie } = await signIn();
    const [name, value] = cookie.pair.split('=');
    const [expires, nonce] = value!.split('.');
    const key = createHmac('sha256', ADMIN).update('paperledge-console-session').digest();
    const signed = (body: string) => `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    for (const forged of [`${expires}.${nonce}.AAAA`, `${Number(expires) + 1}.${nonce}.${value!.split('.')[2]}`, signed(`${Date.now() - 1000}.${nonce}`)]) {
      const answer = await request(`${server.url}/v1/admin/comments`, { headers: { Cookie: `${name}=${forged}` } });
      assert.equal(answer.status, 403, forged);
    }
  });

  it('signs out: the cookie is cleared', async () => {
    const { cookie, csrf } = await signIn();
    const out = await request(`${server.url}/admin/session`, { method: 'DELETE', headers: { Cookie: cookie.pair, 'X-CSRF-Token': csrf } });
    assert.equal(out.status, 204);
    const cleared = cookieOf(out.headers['set-cookie']);
    assert.ok(cleared.attributes.includes('max-age=0'));
  });

  it('rate-limits wrong tokens, and closes every admin route without a session or token', async () => {
    const from = '127.0.0.44';
    for (let i = 0; i < 10; i++) {
      const wrong = await request(`${server.url}/admin/session`, { body: { token: `wrong-${i}-0123456789` }, localAddress: from });
      assert.equal(wrong.status, 403);
    }
    const limited = await request(`${server.url}/admin/session`, { body: { token: ADMIN }, localAddress: from });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    for (const [method, path] of [
      ['GET', '/v1/admin/comments'],
      ['POST', '/v1/admin/comments/x/approve'],
      ['POST', '/v1/admin/comments/x/hide'],
      ['POST', '/v1/admin/blocks'],
      ['GET', '/admin/session'],
    ] as const) {
      const closed = await request(`${server.url}${path}`, { method, localAddress: '127.0.0.45' });
      assert.equal(closed.status, 401, `${method} ${path}`);
    }
    assert.equal((await request(`${server.url}/admin/session`, { body: 'token=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })).status, 415);
  });

  it('never writes the admin token or a session to the log', async () => {
    await signIn();
    const log = server.logLines.join('\n');
    assert.ok(!log.includes(ADMIN));
    assert.doesNotMatch(log, /paperledge_admin|csrf/i);
    assert.match(log, /POST \/admin\/session 200/);
  });
});
