/**
 * Precision and recall of every rule on the labelled corpus (test/scan/corpus.ts): each finding the
 * scan reports is matched to a label on its file and line; the rest are false alarms, and labels
 * with no finding are misses. Every rule must reach 90 % precision and 90 % recall.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_RULES, scanRepository } from '../../cli/scan/index';
import { type Expected, expectedFindings, loadCorpus, materialize } from './corpus';
import { removeTrees } from './fixture-tree';

afterAll(removeTrees);

interface Tally {
  truePositives: number;
  falsePositives: string[];
  misses: string[];
}

const tallies = new Map<string, Tally>(
  SCAN_RULES.map((rule) => [rule.id, { truePositives: 0, falsePositives: [], misses: [] }]),
);
const key = (project: string, e: Expected): string => `${project}/${e.file}:${e.line} ${e.rule}`;

beforeAll(async () => {
  for (const [project, files] of await loadCorpus()) {
    const expected = new Set(expectedFindings(files).map((e) => key(project, e)));
    const report = await scanRepository(await materialize(files));
    const found = new Set(report.findings.map((f) => key(project, f)));
    for (const item of found) {
      const rule = item.slice(item.lastIndexOf(' ') + 1);
      const tally = tallies.get(rule);
      if (tally === undefined) throw new Error(`unknown rule in a finding: ${item}`);
      if (expected.has(item)) tally.truePositives += 1;
      else tally.falsePositives.push(item);
    }
    for (const item of expected) {
      if (found.has(item)) continue;
      const tally = tallies.get(item.slice(item.lastIndexOf(' ') + 1));
      if (tally === undefined) throw new Error(`a label names an unknown rule: ${item}`);
      tally.misses.push(item);
    }
  }
  const rows = [...tallies].map(([rule, t]) => {
    const found = t.truePositives + t.falsePositives.length;
    const labelled = t.truePositives + t.misses.length;
    return `${rule.padEnd(20)} labelled ${String(labelled).padStart(3)}  found ${String(found).padStart(3)}  precision ${percent(t.truePositives, found)}  recall ${percent(t.truePositives, labelled)}`;
  });
  console.log(`scan corpus, per rule:\n${rows.join('\n')}`);
}, 120_000);

function percent(part: number, whole: number): string {
  return whole === 0 ? '   n/a' : `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
}

describe('the scan on the labelled corpus', () => {
  it.each(SCAN_RULES.map((rule) => rule.id))(
    '%s: labelled at least twice (a rule the corpus never exercises proves nothing)',
    (rule) => {
      const t = tallies.get(rule);
      expect((t?.truePositives ?? 0) + (t?.misses.length ?? 0)).toBeGreaterThanOrEqual(2);
    },
  );

  it.each(SCAN_RULES.map((rule) => rule.id))('%s: precision and recall are at least 90 %%', (rule) => {
    const t = tallies.get(rule) ?? { truePositives: 0, falsePositives: [], misses: [] };
    const found = t.truePositives + t.falsePositives.length;
    const labelled = t.truePositives + t.misses.length;
    // Listed on failure: which findings were false alarms and which labels were missed.
    expect({ rule, falsePositives: t.falsePositives, misses: t.misses }).toMatchObject({ rule });
    expect(
      t.truePositives / Math.max(found, 1),
      `false alarms: ${t.falsePositives.join('; ')}`,
    ).toBeGreaterThanOrEqual(0.9);
    expect(t.truePositives / Math.max(labelled, 1), `misses: ${t.misses.join('; ')}`).toBeGreaterThanOrEqual(
      0.9,
    );
  });
});
