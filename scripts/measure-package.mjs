// `node scripts/measure-package.mjs`: what a user installing the package gets. Packs the repository
// (prepare builds dist/), installs the tarball into an empty folder with its own npm cache (this
// needs the npm registry), measures node_modules and runs `npx openrouter-audit --simulate` there.
// Exits 1 when node_modules exceeds the 60 MB target or the audit does not pass.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET_MB = 60;
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'openrouter-audit-package-'));
const say = (line) => process.stdout.write(`${line}\n`);

/** Bytes on disk of every file under `dir` (what `du --apparent-size` counts). */
function sizeOf(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return bytes;
}

let failed = false;
try {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
  );
  const tarball = join(work, packed.filename);
  say(`tarball: ${packed.filename}, ${(packed.size / 1024).toFixed(0)} KB, ${packed.files.length} files`);
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  execFileSync('npm', ['init', '-y'], { cwd: app, stdio: 'ignore' });
  const started = performance.now();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache'), tarball], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const mb = sizeOf(join(app, 'node_modules')) / 1e6;
  failed ||= mb > TARGET_MB;
  say(
    `installed node_modules: ${mb.toFixed(1)} MB (target ≤ ${TARGET_MB} MB: ${mb <= TARGET_MB ? 'met' : 'MISSED'}), install ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const packages = readdirSync(join(app, 'node_modules')).filter((name) => !name.startsWith('.'));
  say(`top-level entries: ${packages.join(', ')}`);
  try {
    const out = execFileSync('npx', ['--no-install', 'openrouter-audit', '--simulate'], {
      cwd: app,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    say(`npx openrouter-audit --simulate: exit 0, ${out.trim().split('\n').at(-1)}`);
  } catch (error) {
    failed = true;
    say(
      `npx openrouter-audit --simulate: FAILED (exit ${error.status})\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
