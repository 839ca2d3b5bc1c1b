import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root folder. */
export const ROOT = new URL('../../../', import.meta.url).pathname;

export interface Packed {
  name: string;
  version: string;
  /** Absolute path of the tarball. */
  tarball: string;
  files: string[];
}

const CACHE = join(ROOT, 'node_modules', '.cache', 'paperledge-packages');

function pack(args: string[]): Packed {
  mkdirSync(CACHE, { recursive: true });
  const [info] = JSON.parse(
    execFileSync('npm', ['pack', ...args, '--json', '--ignore-scripts', '--pack-destination', CACHE], { cwd: ROOT, encoding: 'utf8' }),
  ) as [{ name: string; version: string; filename: string; files: { path: string }[] }];
  return { name: info.name, version: info.version, tarball: join(CACHE, info.filename), files: info.files.map((file) => file.path) };
}

let packed: { widgets: Packed; comments: Packed } | undefined;

/** Both packages as `npm pack` makes them from the built tree (run `npm run build` first). */
export function packedPackages(): { widgets: Packed; comments: Packed } {
  packed ??= { widgets: pack([]), comments: pack(['-w', 'paperledge-comments']) };
  return packed;
}

/** The tarball's `package.json`. */
export function packedManifest(tarball: string): { name: string; dependencies?: Record<string, string>; [key: string]: unknown } {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
}

/** The versions a consumer app installs beside the tarballs: what the repository itself uses, from its lock file. */
function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`${name} is not in package-lock.json`);
  return version;
}

const APP_TOOLS = ['vite', 'typescript', 'react', 'react-dom', '@lit/react', '@types/react', '@types/react-dom', '@types/node'];

/**
 * A fresh Vite + TypeScript app, outside the repository, that installed the widgets
 * tarball (and, with `withServer`, the comments tarball) as a user would. Kept per
 * tarball content so the test files of one run share it.
 */
export function consumerApp({ withServer }: { withServer: boolean }): string {
  const { widgets, comments } = packedPackages();
  const tarballs = withServer ? [widgets.tarball, comments.tarball] : [widgets.tarball];
  const hash = createHash('sha256');
  for (const tarball of tarballs) hash.update(readFileSync(tarball));
  const dir = join(CACHE, `app-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, '.installed'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const dependencies = Object.fromEntries(tarballs.map((tarball) => [packedManifest(tarball).name, `file:${tarball}`]));
  const devDependencies = Object.fromEntries(APP_TOOLS.map((name) => [name, lockedVersion(name)]));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer-app', private: true, type: 'module', dependencies, devDependencies }, null, 2));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: ['node'],
          jsx: 'react-jsx',
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true,
          isolatedModules: true,
        },
        include: ['src', 'snippets'],
      },
      null,
      2,
    ),
  );
  // Scripts off: the server's native SQLite module is not built, since the app only type-checks against it.
  execFileSync('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  writeFileSync(join(dir, '.installed'), new Date().toISOString());
  return dir;
}

/** Runs a tool of the consumer app; throws with its output when it fails. */
export function runInApp(dir: string, command: string, args: string[]): string {
  try {
    return execFileSync(join(dir, 'node_modules', '.bin', command), args, { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
  }
}
