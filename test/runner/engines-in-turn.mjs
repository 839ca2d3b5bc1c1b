// `npm run test:browser`: the browser tests in each engine in turn (Chromium, then Firefox, then WebKit), each run
// of Web Test Runner on its own. Run side by side, the three shared one test server, its comments servers and one
// PostgreSQL cluster under the load of all three, and WebKit's WebDriver now and then stopped answering in the
// middle of a file (CI failed on it in three runs of five; alone, WebKit hung once in 13 runs). In turn costs about four
// minutes.
// BROWSERS=chromium (a comma list) still narrows the run; extra arguments go to each run (`--files …`).
import { spawnSync } from 'node:child_process';
import { requestedEngines } from './browsers.mjs';

const failed = [];
for (const engine of requestedEngines()) {
  console.log(`\n— browser tests in ${engine} —`);
  const run = spawnSync('npx', ['wtr', ...process.argv.slice(2)], { stdio: 'inherit', env: { ...process.env, BROWSERS: engine } });
  if (run.status !== 0) failed.push(engine);
}
if (failed.length > 0) {
  console.error(`\nBrowser tests failed in ${failed.join(', ')}.`);
  process.exit(1);
}
