import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { request } from './support/http.js';
import { removeDir, runCli, spawnServer } from './support/server.js';

const dir = mkdtempSync(join(tmpdir(), 'paperledge-cli-'));
after(() => removeDir(dir));

async function runToEnd(args: string[], env: Record<string, string> = {}) {
  const child = runCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

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

  it('prints its usage for --help', async () => {
    const result = await runToEnd(['--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--posts-per-minute N/);
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
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const bin = new URL(`../../${pkg.bin['paperledge-comments']}`, import.meta.url).pathname;
    const output = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [bin, '--help'], (error, stdout) => (error ? reject(error) : resolve(stdout))),
    );
    assert.match(output, /^Usage: paperledge-comments \[options\]/);
  });

  it('serves the API and the embed scripts from the compiled package', async () => {
    const { spawn } = await import('node:child_process');
    const pkg = JSON.parse((await import('node:fs')).readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const bin = new URL(`../../${pkg.bin['paperledge-comments']}`, import.meta.url).pathname;
    const child = spawn(process.execPath, [bin, '--port', '0', '--db', join(dir, 'bin.db'), '--episodes', new URL('../fixtures/', import.meta.url).pathname]);
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
