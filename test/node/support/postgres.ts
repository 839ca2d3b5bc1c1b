import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startCluster } from '../../runner/postgres.mjs';

export { startCluster };

/**
 * A real PostgreSQL for the tests: `PG_URL` when set (a superuser URL), else a
 * throwaway cluster from the machine's binaries in a temp folder on a free
 * loopback port, installed from Debian's packages when missing and run as root.
 */

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
