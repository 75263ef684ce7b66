import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../lambda/render/markdown';
import { auditResult, passingResult } from './fixtures';

const tableRows = (md: string): string[] =>
  md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Status') && !l.startsWith('| ---'));

/** Splits a GFM table row on its unescaped pipes. */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1);

describe('renderMarkdown', () => {
  it('opens with a heading that gives the verdict', () => {
    expect(renderMarkdown(auditResult()).split('\n')[0]).toBe('## ❌ OpenRouter audit failed');
    expect(renderMarkdown(passingResult()).split('\n')[0]).toBe('## ✅ OpenRouter audit passed');
  });

  it('states the tally under the heading', () => {
    expect(renderMarkdown(auditResult())).toContain('3 passed, 2 warned, 1 failed, 1 errors, 1 skipped.');
  });

  it.each([
    ['auth', '✅ pass'],
    ['key-limit', '⚠️ warn'],
    ['credits', '❌ fail'],
    ['models', '🛑 error'],
    ['spend', '⏭️ skip'],
  ])('shows the %s check as "%s" in a three-column table row', (id, status) => {
    const row = tableRows(renderMarkdown(auditResult())).find((r) => r.includes(`\`${id}\``));
    expect(row).toBeDefined();
    expect(cells(row ?? '')[0]?.trim()).toBe(status);
  });

  it('lists the remedies of warn, fail and error checks under "What to do"', () => {
    const md = renderMarkdown(auditResult());
    const section = md.slice(md.indexOf('### What to do'));
    expect(section).toContain(
      '- ❌ **credits**: Buy credits at openrouter.ai/settings/credits or enable auto top-up.',
    );
    expect(section).toContain('- ⚠️ **keys**: Give every key a credit limit.');
    expect(section).toContain('- 🛑 **models**:');
    expect(section).not.toContain('**auth**');
    expect(renderMarkdown(passingResult())).not.toContain('What to do');
  });

  it('keeps hostile summaries from breaking the table or injecting HTML', () => {
    const summary = 'a | b <script>alert(1)</script> *bold* `code`\nline two';
    const md = renderMarkdown(
      auditResult([{ id: 'auth', status: 'fail', summary, remedy: 'x | y', values: {}, durationMs: 1 }]),
    );
    const [row] = tableRows(md);
    expect(cells(row ?? '')).toHaveLength(3);
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('\\*bold\\*');
    expect(md).not.toContain('\nline two');
  });

  it('escapes dollar signs so that GitHub does not render amounts as math', () => {
    expect(renderMarkdown(auditResult())).toContain('\\$2.50 left, under the \\$10 minimum');
  });
});
