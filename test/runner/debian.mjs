// Installing Debian's packages for a test run (browsers, PostgreSQL): only as
// root on Debian. Nothing here downloads a build of its own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether this run may install Debian's packages: root, on Debian, with apt-get. */
export function canInstallDebianPackages() {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
}

/**
 * `apt-get install` of `packages`, after an `apt-get update`; throws naming them if either fails.
 * @param {string[]} packages
 */
export function installDebianPackages(packages) {
  console.log(`[test run] installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0) throw new Error(`apt-get install ${packages.join(' ')} failed`);
}
