import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { canInstallDebianPackages, installDebianPackages } from '../../runner/debian.mjs';
import { freePort } from '../../runner/processes.mjs';

/**
 * A real PostgreSQL for the tests: `PG_URL` when set (a superuser URL), else a
 * throwaway cluster from the machine's binaries in a temp folder on a free
 * loopback port, installed from Debian's packages when missing and run as root.
 */

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin', '/usr/bin'];

function findBin(): string | undefined {
  return BIN_DIRS.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

function installIfMissing(): string {
  let bin = findBin();
  if (!bin && canInstallDebianPackages()) {
    installDebianPackages(['postgresql']);
    bin = findBin();
  }
  if (!bin) throw new Error("No PostgreSQL found: install Debian's postgresql, or set PG_URL to a server the tests may use.");
  return bin;
}

export interface Cluster {
  url: string;
  /** The data directory, for byte searches; undefined for an outside server. */
  dataDir: string | undefined;
  stop(): void;
}

let cluster: Cluster | undefined;

/** The cluster for this process: PG_URL's, or one started now and stopped on exit. */
export async function postgres(): Promise<Cluster> {
  if (cluster) return cluster;
  if (process.env['PG_URL']) {
    cluster = { url: process.env['PG_URL'], dataDir: process.env['PG_DATA_DIR'], stop: () => {} };
    return cluster;
  }
  cluster = await startCluster();
  const started = cluster;
  process.on('exit', () => started.stop());
  return cluster;
}

export async function startCluster(): Promise<Cluster> {
  const bin = installIfMissing();
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'paperledge-pg-'));
  chmodSync(dir, 0o777);
  const dataDir = join(dir, 'data');
  const port = await freePort();
  // initdb refuses to run as root: run the cluster as the postgres user.
  const run = (command: string, args: string[]) =>
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

let databases = 0;

/** A new, empty database on the cluster: every test server gets its own. */
export async function createDatabase(): Promise<string> {
  const { url } = await postgres();
  const name = `paperledge_${process.pid}_${++databases}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.href;
}

/**
 * The cluster's data: its tables (base/) and its write-ahead log (pg_wal/), for
 * the byte search that proves no address was stored. Its configuration files
 * name the listening address and are left out.
 */
export function clusterFiles(dataDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(join(dataDir, 'base'));
  walk(join(dataDir, 'pg_wal'));
  return files;
}
