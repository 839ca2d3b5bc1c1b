// Finds the system's browsers for the browser tests, installs Debian's packages
// when run as root on Debian, and starts what WebKit needs (Xvfb and
// WebKitWebDriver). It never downloads a browser build.
import { existsSync } from 'node:fs';
import { canInstallDebianPackages, installDebianPackages } from './debian.mjs';
import { freePort, startChild, waitForHttp } from './processes.mjs';

/** Flags for Debian's Chromium run as root on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ENGINES = {
  chromium: {
    env: 'CHROME_PATH',
    paths: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'],
    debian: ['chromium'],
  },
  firefox: {
    env: 'FIREFOX_PATH',
    paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
    debian: ['firefox-esr'],
  },
  webkit: {
    env: 'WEBKIT_MINIBROWSER_PATH',
    paths: [
      '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
      '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    ],
    debian: ['webkit2gtk-driver', 'xvfb'],
    also: ['/usr/bin/WebKitWebDriver', '/usr/bin/Xvfb'],
  },
};

export function requestedEngines() {
  const names = (process.env.BROWSERS ?? 'chromium,firefox,webkit')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (!(name in ENGINES)) throw new Error(`BROWSERS: unknown browser "${name}" (use chromium, firefox, webkit)`);
  }
  return names;
}

function locate(name) {
  const engine = ENGINES[name];
  const fromEnv = process.env[engine.env];
  const path = fromEnv || engine.paths.find((candidate) => existsSync(candidate));
  const ready = path && existsSync(path) && (engine.also ?? []).every((tool) => existsSync(tool));
  return ready ? path : undefined;
}

/**
 * Paths of the requested browsers; installs Debian's packages for missing ones when it may.
 * @param {string[]} names
 * @returns {Record<string, string>}
 */
export function findBrowsers(names) {
  const missing = names.filter((name) => !locate(name));
  if (missing.length > 0 && canInstallDebianPackages()) installDebianPackages(missing.flatMap((name) => ENGINES[name].debian));
  const found = {};
  for (const name of names) {
    const path = locate(name);
    if (!path) {
      const engine = ENGINES[name];
      throw new Error(
        `No ${name} found: install Debian's ${engine.debian.join(' ')} (or set ${engine.env}), or narrow the run with BROWSERS=…`,
      );
    }
    found[name] = path;
  }
  return found;
}

/** Starts Xvfb on a free display and WebKitWebDriver on a free port; both end with this process. */
export async function startWebKitDriver() {
  let display = 99;
  while (existsSync(`/tmp/.X11-unix/X${display}`) || existsSync(`/tmp/.X${display}-lock`)) display += 1;
  const xvfb = startChild('Xvfb', [`:${display}`, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
  const deadline = Date.now() + 10_000;
  while (!existsSync(`/tmp/.X11-unix/X${display}`)) {
    if (xvfb.exitCode !== null) throw new Error(`Xvfb exited: ${xvfb.lastError()}`);
    if (Date.now() > deadline) throw new Error('Xvfb did not start within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = await freePort();
  const driver = startChild('WebKitWebDriver', [`--port=${port}`], {
    env: { ...process.env, DISPLAY: `:${display}` },
  });
  await waitForHttp(`http://127.0.0.1:${port}/status`, driver, 'WebKitWebDriver');
  return { port, display };
}
