// `npm start` needs the built bundle for the hostile demo pages and the built server, which the demo mounts:
// build both if missing, and the server again when its sources are newer than its build.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const built = (path) => (existsSync(new URL(path, root)) ? statSync(new URL(path, root)).mtimeMs : 0);
const newest = (dir) => Math.max(...readdirSync(new URL(dir, root)).map((name) => statSync(new URL(`${dir}${name}`, root)).mtimeMs));

if (built('dist/paperledge.js') === 0 || built('server/dist/index.js') === 0) {
  execSync('npm run build --silent', { stdio: 'inherit', cwd: root });
} else if (newest('server/src/') > built('server/dist/index.js')) {
  execSync('npm run build --silent -w paperledge-comments', { stdio: 'inherit', cwd: root });
}
