// `npm run test:browser`: the browser tests in each engine in turn (Chromium, then Firefox, then WebKit), each run
// of Web Test Runner on its own. Run side by side, the three shared one test server, its comments servers and one
// PostgreSQL cluster under the load of all three, and WebKit's WebDriver now and then stopped answering in the
// middle of a file (CI failed on it in three runs of five; alone, WebKit hung once in 13 runs). In turn costs about four
// minutes.
//
// In turn it still hung once in about eight CI runs (WebKitWebDriver with its sockets in CLOSE-WAIT, the page idle).
// A run whose only failures are files that "did not finish" (no assertion failed anywhere) runs those files once
// more, in that engine alone, and passes only if they then pass whole. Any failed assertion fails the run at once.
//
// BROWSERS=chromium (a comma list) still narrows the run; extra arguments go to each run (`--files …`).
import { spawn } from 'node:child_process';
import { requestedEngines } from './browsers.mjs';

/** One Web Test Runner run in one engine: its exit status and what it printed (shown as it comes). */
function wtr(args, engine) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['wtr', ...args], { stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, BROWSERS: engine } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    });
    child.on('close', (code) => resolve({ code, out: out.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '') }));
  });
}

/** The files a run reported as never finishing, if those are its only failures; else none. */
function onlyHung(out) {
  const hung = [...out.matchAll(/(\S+\.test\.ts):\s*\n\s*❌ Browser tests did not finish within/g)].map((match) => match[1]);
  const failures = (out.match(/❌/g) ?? []).length;
  return hung.length > 0 && hung.length === failures ? [...new Set(hung)] : [];
}

const failed = [];
for (const engine of requestedEngines()) {
  console.log(`\n— browser tests in ${engine} —`);
  let { code, out } = await wtr(process.argv.slice(2), engine);
  const hung = code === 0 ? [] : onlyHung(out);
  if (hung.length > 0) {
    console.log(`\n— ${engine} stopped answering in ${hung.join(', ')}, with no test failed: running ${hung.length === 1 ? 'that file' : 'those files'} again, once —`);
    ({ code } = await wtr(['--group', 'default', '--files', ...hung], engine));
  }
  if (code !== 0) failed.push(engine);
}
if (failed.length > 0) {
  console.error(`\nBrowser tests failed in ${failed.join(', ')}.`);
  process.exit(1);
}
