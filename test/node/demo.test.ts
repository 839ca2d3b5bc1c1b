import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Browser, chromium } from 'playwright-core';
import { removeDir } from './support/server.js';
import { CHROMIUM_ARGS, chromiumPath } from './support/browser.js';

const ROOT = new URL('../..', import.meta.url).pathname;

describe('npm start (the demo)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-demo-'));
  let url = '';
  let output = '';
  let demo: ReturnType<typeof spawn>;
  let browser: Browser;

  before(async () => {
    demo = spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', DEMO_DB: join(dir, 'demo.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    demo.stdout!.on('data', (chunk) => (output += chunk));
    demo.stderr!.on('data', (chunk) => (output += chunk));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo printed no URL:\n${output}`)), 30_000);
      demo.stdout!.on('data', () => {
        const match = /Local:\s+(http:\/\/\S+)/.exec(output.replace(/\x1b\[[0-9;]*m/g, ''));
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (demo?.pid) process.kill(-demo.pid, 'SIGTERM');
    removeDir(dir);
  });

  it('prints the URL and the comments database', () => {
    assert.match(url, /^http:\/\/localhost:\d+\/$/);
    assert.match(output, /Comments API on the same origin, stored in .*demo\.db/);
  });

  it('shows the fixture episode, its 200 authors, and posts a comment from the browser', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    const episode = page.locator('paperledge-episode');
    await episode.locator('#p-11').waitFor();
    assert.equal(await episode.locator('.transcript > .block').count(), 14);
    assert.equal(
      (await page.locator('paperledge-credits [part="toggle"]').textContent())?.trim(),
      'All 200 authors',
    );
    const comments = page.locator('paperledge-comments');
    await comments.scrollIntoViewIfNeeded();
    await comments.locator('[part="empty"]').waitFor();
    assert.equal(await comments.locator('[part="empty"]').textContent(), 'No comments yet. Be the first to say something!');
    await comments.locator('[part="author-input"]').fill('Demo reader');
    await comments.locator('[part="body-input"]').fill('Posted from the demo page.');
    await comments.locator('[part="submit"]').click();
    await comments.locator('[part="comment"]').waitFor();
    assert.match((await comments.locator('[part="comment"]').textContent()) ?? '', /Demo reader[\s\S]*Posted from the demo page\./);
    await page.reload();
    await page.locator('paperledge-comments').scrollIntoViewIfNeeded();
    await page.locator('paperledge-comments [part="comment"]').waitFor();
    assert.deepEqual(errors, []);
  });

  it('plays the read-aloud start of the episode with its WebVTT transcript, and a line\'s time seeks there', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(new URL('listen.html', url).href);
    const episode = page.locator('paperledge-episode');
    await episode.locator('#p-3').waitFor();
    assert.equal(await episode.locator('.transcript > .block').count(), 3);
    assert.equal((await episode.locator('#p-2 .speaker').textContent())?.trim(), 'Ernis:');
    const start = Number(await episode.locator('#p-2 [data-seek]').getAttribute('data-seek'));
    assert.ok(start > 20 && start < 30, `the second paragraph starts at ${start} s`);
    await episode.locator('#p-2 [data-seek]').click();
    // From the line's time on: playing on past it is fine (a strict ±0.5 s window can be missed between two polls).
    await page.waitForFunction(
      (at) => {
        const root = document.querySelector('paperledge-episode')!.shadowRoot!;
        const offset = root.querySelector('audio')!.currentTime - at;
        return offset > -0.5 && offset < 3 && root.querySelector('#p-2[data-current]');
      },
      start,
    );
    assert.deepEqual(errors, []);
  });
});
