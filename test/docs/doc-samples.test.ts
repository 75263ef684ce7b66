/** The sample outputs in the docs are what the code prints today: regenerated and compared here. */
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillSamples, renderBlock } from '../../scripts/doc-samples/blocks';
import { docFiles } from '../../scripts/doc-samples/files';
import { type DocSample, generateSamples } from '../../scripts/doc-samples/generate';

const ROOT = resolve(import.meta.dirname, '../..');

describe('sample outputs in README.md and docs/', () => {
  let samples: ReadonlyMap<string, DocSample>;
  let docs: { file: string; text: string }[];
  beforeAll(async () => {
    samples = await generateSamples();
    docs = await Promise.all(
      (await docFiles(ROOT)).map(async (file) => ({
        file: relative(ROOT, file),
        text: await readFile(file, 'utf8'),
      })),
    );
  });

  it('shows every generated sample somewhere', () => {
    const shown = new Set(docs.flatMap(({ text }) => fillSamples(text, samples).names));
    expect([...samples.keys()].filter((name) => !shown.has(name))).toEqual([]);
  });

  it('names only samples that exist', () => {
    const unknown = docs.flatMap(({ file, text }) =>
      fillSamples(text, samples).unknown.map((name) => `${file}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('holds each sample exactly as the code produces it (npm run docs:samples rewrites them)', () => {
    for (const { file, text } of docs) {
      const filled = fillSamples(text, samples).text;
      expect(text, `${file} differs from npm run docs:samples`).toBe(filled);
    }
  });

  it('sees a changed sample as drift', () => {
    const sample: DocSample = { lang: 'text', text: 'Verdict: PASSED\n' };
    const doc = `before\n\n${renderBlock('x', { ...sample, text: 'Verdict: FAILED\n' })}\n\nafter\n`;
    const filled = fillSamples(doc, new Map([['x', sample]])).text;
    expect(filled).not.toBe(doc);
    expect(filled).toBe(`before\n\n${renderBlock('x', sample)}\n\nafter\n`);
  });
});
