import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request } from './support/http.js';
import { removeDir, runCliToEnd, spawnServer } from './support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperledge-cli-'));
after(() => removeDir(dir));

const runToEnd = runCliToEnd;

describe('paperledge-comments command line', () => {
  const refusals: [string, string[], Record<string, string>, RegExp][] = [
    ['an unknown flag', ['--prot', '80'], {}, /^paperledge-comments: Unknown option '--prot' \(see --help\)\n$/],
    ['a port that is not a number', ['--port', 'eighty'], {}, /^paperledge-comments: --port must be a whole number from 0 to 65535, not "eighty"\n$/],
    ['a port out of range', ['--port', '70000'], {}, /--port must be a whole number from 0 to 65535/],
    ['a bad PORT variable', [], { PORT: 'x' }, /--port must be a whole number/],
    ['a zero rate', ['--posts-per-minute', '0'], {}, /--posts-per-minute must be a whole number from 1/],
    ['an origin with a path', ['--allowed-origins', 'https://a.example/blog'], {}, /--allowed-origins: "https:\/\/a\.example\/blog" is not an origin/],
    ['a short admin token', ['--admin-token', 'abc'], {}, /--admin-token must be at least 16 characters/],
    ['a proxy that is not an address', ['--trusted-proxy', 'proxy.local'], {}, /--trusted-proxy: "proxy\.local" is not an IP address/],
  ];
  for (const [name, args, env, message] of refusals) {
    it(`stops with one line for ${name}`, async () => {
      const result = await runToEnd([...args, '--db', join(dir, 'refused.db')], env);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }

  it('prints its usage for --help and -h', async () => {
    for (const flag of ['--help', '-h']) {
      const result = await runToEnd([flag]);
      assert.equal(result.code, 0);
      assert.match(result.stdout, /--posts-per-minute N/);
      assert.match(result.stdout, /--public-url URL/);
    }
  });

  it('prints its version for --version', async () => {
    const result = await runToEnd(['--version']);
    assert.equal(result.code, 0);
    const { version } = JSON.parse(readFileSync(new URL('../../server/package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(result.stdout, `paperledge-comments ${version}\n`);
  });

  describe('start-up checks: one line naming the thing, exit status 2', () => {
    const startupRefusals: [string, () => string[], RegExp][] = [
      ['--episodes naming nothing', () => ['--episodes', join(dir, 'no-such-folder')], /^paperledge-comments: --episodes: the folder .*no-such-folder does not exist; create it/],
      ['--episodes naming a file', () => ['--episodes', join(dir, 'a-file.txt')], /^paperledge-comments: --episodes: .*a-file\.txt is a file, not a folder/],
      ['--db under a file', () => ['--db', join(dir, 'a-file.txt', 'comments.db')], /^paperledge-comments: --db: .*a-file\.txt\/comments\.db cannot be created because .*a-file\.txt is a file, not a folder/],
      ['--db naming a folder', () => ['--db', dir], /^paperledge-comments: --db: .* is a folder; name a file in it/],
      ['--public-url that is not http(s)', () => ['--public-url', 'ftp://example.org'], /^paperledge-comments: --public-url: "ftp:\/\/example\.org" must be an http\(s\) address/],
      ['--admin-token-file that cannot be read', () => ['--admin-token-file', join(dir, 'no-token')], /^paperledge-comments: --admin-token-file: cannot read .*no-token \(ENOENT\)/],
      ['--feed naming a missing file', () => ['--feed', join(dir, 'no-feed.xml')], /^paperledge-comments: --feed: .*no-feed\.xml does not exist; give a feed file or an http\(s\) URL/],
      ['--feed naming a file that is not a feed', () => ['--feed', join(dir, 'a-file.txt')], /^paperledge-comments: --feed: .*a-file\.txt cannot be read: the feed is not well-formed XML/],
      ['--feed with another scheme', () => ['--feed', 'ftp://example.org/feed.xml'], /^paperledge-comments: --feed: "ftp:\/\/example\.org\/feed\.xml" is neither an http\(s\) URL nor a file path/],
    ];
    for (const [name, args, message] of startupRefusals) {
      it(`refuses ${name}`, async () => {
        writeFileSync(join(dir, 'a-file.txt'), 'not a folder');
        const extra = args();
        const result = await runToEnd(extra.includes('--db') ? extra : [...extra, '--db', join(dir, 'refused.db')]);
        assert.equal(result.code, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
        assert.equal(result.stdout, '');
      });
    }

    it('refuses an episodes folder with broken files, naming each file and its reason on its own line', async () => {
      const episodes = join(dir, 'broken-episodes');
      mkdirSync(episodes, { recursive: true });
      copyFileSync(new URL('../fixtures/deepseek-v3.json', import.meta.url), join(episodes, 'good.json'));
      copyFileSync(new URL('../fixtures/wrong-field.json', import.meta.url), join(episodes, 'wrong.json'));
      copyFileSync(new URL('../fixtures/invalid.json', import.meta.url), join(episodes, 'invalid.json'));
      const result = await runToEnd(['--episodes', episodes, '--db', join(dir, 'broken.db')]);
      assert.equal(result.code, 2);
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 2, result.stderr);
      assert.match(lines[0]!, /^paperledge-comments: --episodes: .*invalid\.json cannot be read: The episode is not valid JSON/);
      assert.match(lines[1]!, /^paperledge-comments: --episodes: .*wrong\.json cannot be read: transcript\[3\]\.type: expected "paragraph" \| "quote" \| "list", got "heading"/);
      assert.ok(!existsSync(join(dir, 'broken.db')), 'no database is created when the episodes are broken');
    });

    it('refuses a port in use, with the fix', async () => {
      const first = await spawnServer(['--port', '0', '--db', join(dir, 'first.db')]);
      try {
        const port = new URL(first.url).port;
        const result = await runToEnd(['--port', port, '--db', join(dir, 'second.db')]);
        assert.equal(result.code, 2);
        assert.match(result.stderr, new RegExp(`^paperledge-comments: port ${port} on 127\\.0\\.0\\.1 is already in use .*choose another port with --port`));
        assert.equal(result.stderr.trim().split('\n').length, 1);
      } finally {
        first.child.kill('SIGTERM');
        await first.exited;
      }
    });
  });

  it('names the URL, the public URL, the database and the episodes in its start-up line; never a database password', async () => {
    const server = await spawnServer(['--port', '0', '--db', join(dir, 'named.db'), '--episodes', new URL('../../demo/episodes/', import.meta.url).pathname, '--public-url', 'https://comments.example.org']);
    try {
      assert.match(
        server.output(),
        /^PaperLedge comments API listening on http:\/\/127\.0\.0\.1:\d+, reached at https:\/\/comments\.example\.org \(database .*named\.db; 1 episode from .*demo\/episodes\/\)\n/,
      );
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('reads the admin token from --admin-token-file, so it is not in ps', async () => {
    const tokenFile = join(dir, 'admin-token');
    writeFileSync(tokenFile, 'a-token-from-a-file-0123456789\n', { mode: 0o600 });
    const server = await spawnServer(['--port', '0', '--db', join(dir, 'token.db'), '--admin-token-file', tokenFile]);
    try {
      const posted = await request(`${server.url}/v1/episodes/token-test/comments`, { body: { body: 'to be removed by the admin' } });
      const removed = await request(`${server.url}/v1/comments/${posted.json.comment.id}`, {
        method: 'DELETE',
        headers: { Authorization: 'Bearer a-token-from-a-file-0123456789' },
      });
      assert.equal(removed.status, 204);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('with --port 0 picks a free port, prints the URL, and serves', async () => {
    const server = await spawnServer(['--port', '0', '--db', join(dir, 'a.db')]);
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.url, 'http://127.0.0.1:0');
      assert.deepEqual((await request(`${server.url}/v1/health`)).json, { ok: true });
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('takes its settings from the environment too', async () => {
    const server = await spawnServer([], { PORT: '0', DB_PATH: join(dir, 'env.db'), POSTS_PER_MINUTE: '1' });
    try {
      const url = `${server.url}/v1/episodes/env-test/comments`;
      assert.equal((await request(url, { body: { body: 'one' } })).status, 201);
      assert.equal((await request(url, { body: { body: 'two' } })).status, 429);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const server = await spawnServer(['--port', '0', '--db', join(dir, 'term.db')]);
    const payload = Buffer.from(JSON.stringify({ body: 'sent across a shutdown' }));
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${server.url}/v1/episodes/term-test/comments`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after the signal: the request is in flight when it arrives.
      req.write(payload.subarray(0, 5));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(payload.subarray(5)), 300);
      }, 300);
    });
    const result = await answer;
    assert.equal(result.status, 201, result.text);
    const exit = await server.exited;
    assert.equal(exit.code, 0);
    assert.match(server.output(), /SIGTERM: finishing requests in flight/);
  });
});

describe('the package bin', () => {
  it('runs the compiled server as `paperledge-comments`', async () => {
    const { execFile } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../../server/package.json', import.meta.url), 'utf8'));
    const bin = new URL(`../../server/${pkg.bin['paperledge-comments']}`, import.meta.url).pathname;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [bin, '--help'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    assert.match(output, /^Usage: paperledge-comments \[options\]/);
  });

  it('serves the API and the embed scripts from the compiled package', async () => {
    const { spawn } = await import('node:child_process');
    const pkg = JSON.parse((await import('node:fs')).readFileSync(new URL('../../server/package.json', import.meta.url), 'utf8'));
    const bin = new URL(`../../server/${pkg.bin['paperledge-comments']}`, import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, '--port', '0', '--db', join(dir, 'bin.db'), '--episodes', new URL('../../demo/episodes/', import.meta.url).pathname]);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk) => {
          out += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`exited: ${out}`)));
      });
      assert.deepEqual((await request(`${url}/v1/health`)).json, { ok: true });
      assert.equal((await request(`${url}/v1/episodes/bin-test/comments`, { body: { body: 'from the bin' } })).status, 201);
      assert.equal((await request(`${url}/embed/paperledge.js`)).status, 200);
      assert.equal((await request(`${url}/v1/episodes/deepseek-v3`)).json.transcript.length, 14);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
