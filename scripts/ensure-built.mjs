// `npm start` needs the built bundle for the hostile demo pages: build it once if it is missing.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/paperledge.js', import.meta.url))) {
  execSync('npm run build --silent', { stdio: 'inherit', cwd: new URL('..', import.meta.url) });
}
