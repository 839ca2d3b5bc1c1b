// Child processes of a test run: each one ends when the run ends, whatever happens.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url, child, what) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      // Each try bounded too: a server that takes the connection and never answers (a cluster's master before its
      // worker listens, a WebDriver still starting) would otherwise hold the wait past its deadline, forever.
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.min(5_000, deadline - Date.now()))) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${what} did not answer at ${url} within 30 s`);
}

/** Children still running; the exit hooks are set with the first, so importing this module changes nothing. */
let children;

function track(child) {
  if (!children) {
    children = new Set();
    process.on('exit', () => {
      for (const running of children) running.kill('SIGTERM');
    });
    for (const signal of ['SIGINT', 'SIGTERM']) {
      process.on(signal, () => process.exit(130));
    }
  }
  children.add(child);
  child.on('exit', () => children.delete(child));
}

export function startChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  child.lastError = () => stderr;
  track(child);
  return child;
}

