// Mutation testing one part of the scope at a time, each against the tests written for it, then
// the results merged into the incremental file that `npm run mutate` reuses.
//
// Why: with per-test coverage Stryker still runs every test that *reaches* a mutant, and the
// redactor and the response parsers are reached by nearly every test of the mutate run, so a
// whole-scope run takes hours on two cores. Scoped, each mutant meets only the tests of its own
// module, which is also the question the score asks: does this module's own suite catch it?
// A later `npm run mutate` reuses these results (a killed mutant while its killing test is
// unchanged, a survivor while no covering test changed) and reruns only what changed.
//
//   npm run mutate                                   every scope, then the score
//   node scripts/mutate-scoped.mjs                   the same
//   node scripts/mutate-scoped.mjs redactor checks   the named scopes
//   node scripts/mutate-scoped.mjs --merge-only      merge scoped reports left on disk by a stopped run
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Each scope: the modules mutated and the tests that are theirs. */
const SCOPES = {
  redactor: {
    mutate: ['lambda/engine/redact.ts'],
    tests: ['test/redaction/**/*.test.ts', 'test/render/redaction.test.ts', 'test/render/invisible.test.ts'],
  },
  'retry-policy': {
    mutate: ['lambda/openrouter/retry-policy.ts'],
    tests: ['test/openrouter/retry-policy.test.ts', 'test/openrouter/network-causes.test.ts'],
  },
  'response-parsers': {
    mutate: ['lambda/openrouter/response-parsers.ts'],
    tests: [
      'test/openrouter/response-parsers*.test.ts',
      'test/openrouter/field-checks.test.ts',
      'test/openrouter/body-text.test.ts',
      'test/checks/real-api.test.ts',
    ],
  },
  metrics: {
    mutate: ['lambda/aws/metrics.ts'],
    tests: ['test/lambda/aws/metrics.test.ts'],
  },
  'alert-decision': {
    mutate: ['lambda/alerts/decide-alert.ts'],
    tests: [
      'test/alerts/decide-alert.test.ts',
      'test/alerts/redelivery.test.ts',
      'test/alerts/digest.test.ts',
      'test/alerts/render-alert.test.ts',
      'test/engine/mutes.test.ts',
    ],
  },
  ...checkScopes({
    'checks-credits': ['lambda/checks/credits.ts'],
    'checks-key-age': ['lambda/checks/key-age.ts'],
    'checks-models': ['lambda/checks/models.ts', 'lambda/checks/model-ids.ts'],
    'checks-auth': ['lambda/checks/auth.ts', 'lambda/checks/test-request.ts'],
    'checks-budgets': [
      'lambda/checks/key-limit.ts',
      'lambda/checks/spend.ts',
      'lambda/checks/budget-layers.ts',
      'lambda/checks/derived-budgets.ts',
    ],
    'checks-keys': ['lambda/checks/keys.ts', 'lambda/checks/key-budgets.ts'],
    'checks-insights': ['lambda/checks/providers.ts', 'lambda/checks/spend-trend.ts'],
    'checks-support': ['lambda/checks/support.ts', 'lambda/checks/index.ts'],
  }),
};

/**
 * The checks share their tests (the boundary tests, the checks' own, the mutes), but each group is
 * a run of its own: a run writes its results only when it ends, so a long one stopped halfway
 * keeps nothing.
 */
function checkScopes(groups) {
  const tests = ['test/boundaries/**/*.test.ts', 'test/checks/**/*.test.ts', 'test/engine/mutes.test.ts'];
  return Object.fromEntries(Object.entries(groups).map(([name, mutate]) => [name, { mutate, tests }]));
}

const MAIN_CONFIG = 'stryker.config.json';
const BASE_CONFIG = JSON.parse(readFileSync(MAIN_CONFIG, 'utf8'));
/** The committed results every run starts from and ends in. */
const INCREMENTAL = BASE_CONFIG.incrementalFile;
const SCOPED_DIR = '.stryker-scoped';
const REPORT_DIR = 'reports/mutation/scoped';

const args = process.argv.slice(2);
const mergeOnly = args.includes('--merge-only');
const names = args.filter((arg) => !arg.startsWith('--'));
const unknown = names.filter((name) => !(name in SCOPES));
if (unknown.length > 0) {
  console.error(
    `mutate-scoped: unknown scope ${unknown.join(', ')}; scopes: ${Object.keys(SCOPES).join(', ')}`,
  );
  process.exit(2);
}

if (!mergeOnly) {
  const base = BASE_CONFIG;
  mkdirSync(SCOPED_DIR, { recursive: true });
  mkdirSync(REPORT_DIR, { recursive: true });
  for (const name of names.length > 0 ? names : Object.keys(SCOPES)) {
    const scope = SCOPES[name];
    const vitestConfig = join(SCOPED_DIR, `vitest.${name}.config.ts`);
    writeFileSync(
      vitestConfig,
      `import { defineConfig } from 'vitest/config';
import mutate from '../vitest.mutate.config';
export default defineConfig({ test: { ...mutate.test, include: ${JSON.stringify(scope.tests)} } });
`,
    );
    const strykerConfig = join(SCOPED_DIR, `stryker.${name}.json`);
    writeFileSync(
      strykerConfig,
      JSON.stringify(
        {
          ...base,
          $schema: undefined,
          mutate: scope.mutate,
          vitest: { ...base.vitest, configFile: vitestConfig },
          incrementalFile: join(REPORT_DIR, `${name}.json`),
          reporters: ['clear-text', 'progress-append-only'],
        },
        null,
        2,
      ),
    );
    // Seeded with the main results, so an unchanged mutant is reused here too.
    if (existsSync(INCREMENTAL)) copyFileSync(INCREMENTAL, join(REPORT_DIR, `${name}.json`));
    console.log(`mutate-scoped: ${name} (${scope.mutate.join(', ')})`);
    const run = spawnSync('npx', ['stryker', 'run', strykerConfig], { stdio: 'inherit' });
    if (run.status !== 0) {
      console.error(`mutate-scoped: ${name} failed (exit ${run.status})`);
      process.exit(1);
    }
  }
  rmSync(SCOPED_DIR, { recursive: true, force: true });
}

if (existsSync(REPORT_DIR)) {
  mergeInto(readdirSync(REPORT_DIR).filter((file) => file.endsWith('.json')));
  rmSync(REPORT_DIR, { recursive: true, force: true });
}

// The score per module and in all, from the merged results.
spawnSync('node', ['scripts/mutation-scores.mjs', INCREMENTAL], { stdio: 'inherit' });

/**
 * Merges the scoped reports into the main incremental file. Test ids are numbers local to each
 * report, so every test is given one id across them all by its file and name, and each mutant's
 * `coveredBy` and `killedBy` are renumbered. A scoped report's module replaces the main one's.
 */
function mergeInto(files) {
  const main = existsSync(INCREMENTAL)
    ? JSON.parse(readFileSync(INCREMENTAL, 'utf8'))
    : { files: {}, testFiles: {} };
  // A scoped report also carries the results it was seeded with: only its own modules are taken.
  const reports = [
    { report: main, owns: () => true },
    ...files.map((file) => ({
      report: JSON.parse(readFileSync(join(REPORT_DIR, file), 'utf8')),
      owns: ownedBy(SCOPES[file.replace(/\.json$/, '')]?.mutate ?? []),
    })),
  ];
  const ids = new Map();
  const testFiles = {};
  const idOf = (file, test) => {
    const key = `${file}\u0000${test.name}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = String(ids.size);
      ids.set(key, id);
      testFiles[file] ??= { source: '', tests: [] };
      testFiles[file].tests.push({ ...test, id });
    }
    return id;
  };
  const merged = { ...main, files: {}, testFiles };
  for (const { report, owns } of reports) {
    const local = new Map();
    for (const [file, entry] of Object.entries(report.testFiles ?? {})) {
      for (const test of entry.tests) local.set(test.id, idOf(file, test));
      if (entry.source) testFiles[file].source = entry.source;
    }
    const renumber = (list) => list?.map((id) => local.get(id)).filter((id) => id !== undefined);
    for (const [path, entry] of Object.entries(report.files)) {
      if (!owns(path)) continue;
      merged.files[path] = {
        ...entry,
        mutants: entry.mutants.map((mutant) => ({
          ...mutant,
          coveredBy: renumber(mutant.coveredBy),
          killedBy: renumber(mutant.killedBy),
        })),
      };
    }
  }
  writeFileSync(INCREMENTAL, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`mutate-scoped: merged ${files.length} scoped report(s) into ${INCREMENTAL}`);
}

// Whether a path matches one of the globs: `*` within a folder, `**/` across folders.
function ownedBy(globs) {
  const toPattern = (glob) => {
    const escaped = glob.replace(/[.+?^$(){}|[\]\\]/g, '\\$&');
    const source = escaped
      .split('**/')
      .map((part) => part.replaceAll('*', '[^/]*'))
      .join('(?:.*/)?');
    return new RegExp(`^${source}$`);
  };
  const patterns = globs.map(toPattern);
  return (path) => patterns.some((pattern) => pattern.test(path));
}
