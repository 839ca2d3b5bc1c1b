// A throwaway PostgreSQL cluster from the machine's binaries, for the Node tests and the browser tests' servers alike.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canInstallDebianPackages, installDebianPackages } from './debian.mjs';
import { freePort } from './processes.mjs';

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/bin'];

/** @returns {string | undefined} */
function findBin() {
  return BIN_DIRS.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/** @returns {string} */
function installIfMissing() {
  let bin = findBin();
  if (!bin && canInstallDebianPackages()) {
    installDebianPackages(['postgresql']);
    bin = findBin();
  }
  if (!bin) throw new Error("No PostgreSQL found: install Debian's postgresql, or set PG_URL to a server the tests may use.");
  return bin;
}

/**
 * A cluster in a temp folder on a free loopback port, installed from Debian's packages when missing and run as
 * the postgres user when this is root.
 * @returns {Promise<{ url: string, dataDir: string, stop: () => void }>}
 */
export async function startCluster() {
  const bin = installIfMissing();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  // initdb refuses to run as root: run the cluster as the postgres user.
  /** @param {string} command @param {string[]} args */
  const run = (command, args) =>
    root
      ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { stdio: 'pipe' })
      : execFileSync(join(bin, command), args, { stdio: 'pipe' });
  run('initdb', ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-instructions']);
  run('pg_ctl', [
    '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on`,
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir,
    stop: () => {
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
