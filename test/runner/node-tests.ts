// `npm run test:node`: every Node test file under node's own test runner, with
// one throwaway PostgreSQL cluster shared by all of them (or PG_URL's server).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { startCluster } from '../node/support/postgres.js';

const dir = new URL('../node/', import.meta.url).pathname;
const files = process.argv.slice(2).length > 0
  ? process.argv.slice(2)
  : readdirSync(dir).filter((name) => name.endsWith('.test.ts')).sort().map((name) => `${dir}${name}`);

const env = { ...process.env };
let stop = () => {};
if (!env['PG_URL']) {
  const cluster = await startCluster();
  env['PG_URL'] = cluster.url;
  env['PG_DATA_DIR'] = cluster.dataDir;
  stop = cluster.stop;
  console.log(`PostgreSQL for the tests: ${cluster.url}`);
}

const child = spawn(process.execPath, ['--import', 'tsx', '--test', ...files], { stdio: 'inherit', env });
const code = await new Promise<number>((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
stop();
process.exit(code);
