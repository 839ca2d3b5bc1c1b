// Browser tests in the system's Chromium, Firefox ESR and WebKitGTK.
// BROWSERS=chromium (a comma list) narrows a run for quick local work.
import { existsSync, readFileSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { visualRegressionPlugin } from '@web/test-runner-visual-regression/plugin';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { puppeteerLauncher } from '@web/test-runner-puppeteer';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { CHROMIUM_ARGS, findBrowsers, requestedEngines, startWebKitDriver } from './test/runner/browsers.mjs';
import { commentsServerPlugin } from './test/runner/comments-server-plugin.mjs';
import { testRoutes } from './test/runner/test-routes.mjs';

const paths = findBrowsers(requestedEngines());
const browsers = [];

if (paths.chromium) {
  browsers.push(
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: paths.chromium,
        // The player tests play real audio without a click.
        args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'],
      },
    }),
  );
}
if (paths.firefox) {
  browsers.push(
    puppeteerLauncher({
      launchOptions: {
        browser: 'firefox',
        executablePath: paths.firefox,
        headless: true,
        extraPrefsFirefox: { 'media.autoplay.default': 0, 'media.autoplay.blocking_policy': 0 },
      },
    }),
  );
}
if (paths.webkit) {
  const { port } = await startWebKitDriver();
  browsers.push(
    webdriverLauncher({
      hostname: '127.0.0.1',
      port,
      path: '/',
      logLevel: 'error',
      capabilities: {
        'webkitgtk:browserOptions': { binary: paths.webkit, args: ['--automation'] },
      },
    }),
  );
}

/** Screenshot tests compare against baselines taken in this machine's Chromium; they run there only. */
const SCREENSHOTS = 'test/browser/gallery-screenshots.test.ts';
const chromium = browsers.find((launcher) => launcher.name === 'Chromium' || launcher.type === 'playwright');

export default {
  files: ['test/browser/**/*.test.ts', `!${SCREENSHOTS}`],
  groups: chromium ? [{ name: 'screenshots', files: SCREENSHOTS, browsers: [chromium] }] : [],
  nodeResolve: { exportConditions: ['production'] },
  middleware: [testRoutes],
  browsers,
  // WebKit over WebDriver runs one page at a time; the others are quick anyway.
  concurrency: 1,
  concurrentBrowsers: 3,
  browserStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  plugins: [
    // esnext: the sources' JSON imports keep their `with { type: 'json' }`, which lower targets strip.
    esbuildPlugin({ ts: true, target: 'esnext', tsconfig: './tsconfig.json' }),
    commentsServerPlugin(),
    visualRegressionPlugin({
      // UPDATE_SCREENSHOTS=1 npm run test:browser takes new baselines after an intended change of look.
      update: process.env.UPDATE_SCREENSHOTS === '1',
      baseDir: 'test/screenshots',
      // Same machine, same browser: a few pixels of anti-aliasing at most; a changed word or colour is far more.
      failureThreshold: 40,
      failureThresholdType: 'pixel',
      // Without a committed baseline the plugin would take the new screenshot as one and pass: a failure instead.
      getBaseline: ({ filePath }) => {
        if (existsSync(filePath)) return readFileSync(filePath);
        if (process.env.UPDATE_SCREENSHOTS === '1') return undefined;
        throw new Error(`No baseline screenshot ${filePath}: take it with UPDATE_SCREENSHOTS=1, look at it, and commit it.`);
      },
    }),
  ],
};
