import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './config.js';

/**
 * The key that turns a client's address into the name the rate limiters use.
 * It is kept out of the database (a file readable by the server's user only,
 * or given by the operator), so the database file alone cannot be searched for
 * addresses; and the name changes every day (UTC), so names do not link a
 * client's visits across days.
 */
export function loadClientKey(file: string, log: (line: string) => void): Buffer {
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) throw new ConfigError(`--client-key-file: ${file} does not hold a key (64 hex digits); delete it to have a new one made`);
    if ((statSync(file).mode & 0o077) !== 0) log(`warning: ${file} can be read by other users; chmod 600 it`);
    return Buffer.from(text, 'hex');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`--client-key-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const key = randomBytes(32);
  try {
    mkdirSync(dirname(file), { recursive: true });
    // 'wx': two processes starting together do not overwrite each other's key; the loser reads the winner's.
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadClientKey(file, log);
    throw new ConfigError(`--client-key-file: cannot create ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The client's name for today: HMAC(HMAC(key, day), address), 32 characters. */
export function clientNamer(key: Buffer, now: () => number = Date.now): (address: string) => string {
  let day = '';
  let dayKey = Buffer.alloc(0);
  return (address) => {
    const today = new Date(now()).toISOString().slice(0, 10);
    if (today !== day) {
      day = today;
      dayKey = createHmac('sha256', key).update(`paperledge-client-${today}`).digest();
    }
    return createHmac('sha256', dayKey).update(address).digest('base64url').slice(0, 32);
  };
}

/**
 * The writer's name that blocks and reports apply to: HMAC(HMAC(key, purpose), address), 32 characters. Unlike the
 * rate limiters' daily names it does not change, since a block lasts days; it is still no address, and the key
 * that made it is not in the database.
 */
export function authorNamer(key: Buffer): (address: string) => string {
  const purposeKey = createHmac('sha256', key).update('paperledge-author').digest();
  return (address) => createHmac('sha256', purposeKey).update(address).digest('base64url').slice(0, 32);
}
