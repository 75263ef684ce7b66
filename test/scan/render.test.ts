import { afterEach, describe, expect, it } from 'vitest';
import {
  MISSING_MAX_TOKENS_NOTE,
  renderScanJson,
  renderScanTable,
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
      /^hardcoded-key\s+src\/config\.ts:2:21\s+export const KEY = 'sk-or-v1-aba\.\.\.bab';$/m,
    );
    expect(table).toMatch(/^missing-max-tokens\*\s+src\/chat\.ts:1:7\s+await client/m);
    expect(table).toMatch(/^env-file-key\s+\.env:1:20\s+OPENROUTER_API_KEY=sk-or-v1-aba\.\.\.bab$/m);
    expect(table).toMatch(/^hardcoded-key: hard-coded OpenRouter key: revoke it now/m);
    expect(table).toMatch(/^missing-max-tokens: .*402 "can only afford N"/m);
    expect(table).toContain(`Note: ${MISSING_MAX_TOKENS_NOTE}`);
    expect(table).toMatch(/^3 findings: 4 files scanned \(1 skipped: 1 binary\) in \d+ ms\.$/m);
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
    ]);
    expect(json.ok).toBe(false);
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
    ]);
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
});

describe('scanExitCode', () => {
  it('is 1 with findings and 0 without', async () => {
    expect(scanExitCode(await reportWithFindings())).toBe(1);
    expect(scanExitCode(cleanReport())).toBe(0);
  });
});
