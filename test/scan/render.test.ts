import { afterEach, describe, expect, it } from 'vitest';
import {
  type Finding,
  MISSING_MAX_TOKENS_NOTE,
  renderScanJson,
  renderScanSarif,
  renderScanTable,
  SCAN_RULES,
  type ScanReport,
  scanExitCode,
  scanRepository,
} from '../../cli/scan/index';
import { code, fakeKey, makeTree, removeTrees } from './fixture-tree';

afterEach(removeTrees);

const KEY = fakeKey();

async function reportWithFindings(): Promise<ScanReport> {
  const root = await makeTree({
    'src/config.ts': `// settings\nexport const KEY = '${KEY}';\n`,
    'src/chat.ts': code("await client.chat.completions.create%({ model: 'm', messages });\n"),
    [`keys/${KEY}.txt`]: 'a file named after a key',
    '.env': `OPENROUTER_API_KEY=${KEY}\n`,
    'data.bin': Buffer.from([0, 1, 2]),
  });
  return scanRepository(root);
}

const cleanReport = (): ScanReport => ({
  root: '/repo',
  selection: 'walk',
  filesScanned: 12,
  filesSkipped: 0,
  skippedByReason: { symlink: 0, binary: 0, 'too-large': 0, unreadable: 0, 'check-failed': 0 },
  durationMs: 42,
  suppressed: 0,
  notes: [],
  findings: [],
});

describe('renderScanTable', () => {
  it('lists each finding with rule, location and masked excerpt, then explains each rule', async () => {
    const table = renderScanTable(await reportWithFindings());
    expect(table).toMatch(
      /^hardcoded-key\s+error\s+src\/config\.ts:2:21\s+export const KEY = 'sk-or-v1-aba\.\.\.bab';$/m,
    );
    expect(table).toMatch(/^missing-max-tokens\*\s+warn\s+src\/chat\.ts:1:7\s+await client/m);
    expect(table).toMatch(/^env-file-key\s+error\s+\.env:1:20\s+OPENROUTER_API_KEY=sk-or-v1-aba\.\.\.bab$/m);
    expect(table).toMatch(
      /^hardcoded-key: hard-coded OpenRouter key: revoke it now.*\(docs\/scan-rules\.md#hardcoded-key\)$/m,
    );
    expect(table).toMatch(/^missing-max-tokens: .*402 "can only afford N"/m);
    expect(table).toContain(`Note: ${MISSING_MAX_TOKENS_NOTE}`);
    expect(table).toMatch(
      /^3 findings \(2 error, 1 warn\): 4 files scanned \(1 skipped: 1 binary\) in \d+ ms\.$/m,
    );
  });

  it('says which findings fail the scan when some are below --fail-on', async () => {
    const table = renderScanTable(await reportWithFindings(), 'error');
    expect(table).toMatch(/^3 findings \(2 error, 1 warn\): .* ms\. 2 fail the scan \(--fail-on error\)\.$/m);
    expect(renderScanTable(await reportWithFindings(), 'none')).toMatch(
      /None fails the scan \(--fail-on none\)\.$/m,
    );
  });

  it('never prints the key, not even from a file name', async () => {
    const table = renderScanTable(await reportWithFindings());
    expect(table).not.toContain(KEY);
    expect(table).not.toContain('abab');
  });

  it('says there are no findings, and still carries the heuristic note, for a clean tree', () => {
    const table = renderScanTable(cleanReport());
    expect(table).toBe(
      [
        'openrouter-audit scan /repo',
        '',
        `Note: ${MISSING_MAX_TOKENS_NOTE} (* marks heuristic findings.)`,
        'No findings: 12 files scanned in 42 ms.',
        '',
      ].join('\n'),
    );
  });
});

describe('renderScanJson', () => {
  it('has a stable key order and marks heuristic findings', async () => {
    const json = JSON.parse(renderScanJson(await reportWithFindings()));
    expect(Object.keys(json)).toEqual([
      'ok',
      'root',
      'filesScanned',
      'filesSkipped',
      'suppressed',
      'durationMs',
      'notes',
      'findings',
      'failOn',
      'selection',
      'counts',
    ]);
    expect(json.ok).toBe(false);
    expect(json).toMatchObject({ failOn: 'warn', selection: 'walk', counts: { error: 2, warn: 1, info: 0 } });
    expect(json.notes).toEqual([MISSING_MAX_TOKENS_NOTE]);
    expect(
      json.findings.map((f: { rule: string; file: string; line: number }) => [f.rule, f.file, f.line]),
    ).toEqual([
      ['env-file-key', '.env', 1],
      ['missing-max-tokens', 'src/chat.ts', 1],
      ['hardcoded-key', 'src/config.ts', 2],
    ]);
    expect(Object.keys(json.findings[0])).toEqual([
      'rule',
      'file',
      'line',
      'column',
      'message',
      'excerpt',
      'heuristic',
      'severity',
      'docs',
    ]);
    expect(json.findings[0]).toMatchObject({ severity: 'error', docs: 'docs/scan-rules.md#env-file-key' });
    expect(json.findings[1].heuristic).toBe(true);
    expect(json.findings[2].heuristic).toBe(false);
  });

  it('never prints the key', async () => {
    const json = renderScanJson(await reportWithFindings());
    expect(json).not.toContain(KEY);
    expect(json).not.toContain('abab');
  });

  it('is ok with no findings', () => {
    const json = JSON.parse(renderScanJson(cleanReport()));
    expect(json).toMatchObject({ ok: true, root: '/repo', filesScanned: 12, findings: [] });
  });
  it('gives each finding the line and column where it starts', async () => {
    const json = JSON.parse(renderScanJson(await reportWithFindings()));
    expect(json.findings.find((f: { rule: string }) => f.rule === 'hardcoded-key')).toMatchObject({
      file: 'src/config.ts',
      line: 2,
      column: "export const KEY = '".length + 1,
    });
  });
});

describe('scanExitCode', () => {
  it('is 1 with findings and 0 without', async () => {
    expect(scanExitCode(await reportWithFindings())).toBe(1);
    expect(scanExitCode(cleanReport())).toBe(0);
  });

  it('fails only on findings at or above --fail-on', async () => {
    const report = await reportWithFindings();
    const warnOnly: ScanReport = {
      ...report,
      findings: report.findings.filter((f) => f.severity === 'warn'),
    };
    expect(scanExitCode(warnOnly, 'warn')).toBe(1);
    expect(scanExitCode(warnOnly, 'error')).toBe(0);
    expect(scanExitCode(report, 'error')).toBe(1);
    expect(scanExitCode(report, 'none')).toBe(0);
    const infoOnly: ScanReport = {
      ...report,
      findings: report.findings.map((f) => ({ ...f, severity: 'info' as const })),
    };
    expect(scanExitCode(infoOnly)).toBe(0);
    expect(scanExitCode(infoOnly, 'info')).toBe(1);
    expect(JSON.parse(renderScanJson(infoOnly)).ok).toBe(true);
  });
});

describe('renderScanSarif', () => {
  it('is a SARIF 2.1.0 log: every rule in tool.driver.rules, one result per finding with level and location', async () => {
    const report = await reportWithFindings();
    const sarif = JSON.parse(renderScanSarif(report));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toMatch(/sarif-2\.1\.0/);
    expect(sarif.runs).toHaveLength(1);
    const [run] = sarif.runs;
    expect(run.tool.driver.name).toBe('openrouter-audit');
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ruleIds).toEqual(SCAN_RULES.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
    }
    expect(run.results).toHaveLength(report.findings.length);
    const key = run.results.find((r: { ruleId: string }) => r.ruleId === 'hardcoded-key');
    expect(key).toMatchObject({
      level: 'error',
      ruleIndex: ruleIds.indexOf('hardcoded-key'),
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'src/config.ts', uriBaseId: '%SRCROOT%' },
            region: { startLine: 2, startColumn: 21 },
          },
        },
      ],
    });
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === 'missing-max-tokens').level).toBe(
      'warning',
    );
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
  });

  it('never prints the key, and percent-encodes odd file names', async () => {
    const report = await reportWithFindings();
    const sarif = renderScanSarif({
      ...report,
      findings: [{ ...(report.findings[0] as Finding), file: 'dir with space/a#b.ts' }],
    });
    expect(sarif).not.toContain(KEY);
    expect(JSON.parse(sarif).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'dir%20with%20space/a%23b.ts',
    );
  });
});
