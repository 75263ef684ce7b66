/**
 * `<!-- sample:NAME -->` … `<!-- /sample:NAME -->` blocks in Markdown: what is between the markers
 * is one fenced code block that `npm run docs:samples` owns; everything else is left alone.
 */
import type { DocSample } from './generate';

const BLOCK = /<!-- sample:([\w-]+) -->\n[\s\S]*?<!-- \/sample:\1 -->/g;

export interface FilledDoc {
  readonly text: string;
  /** Names of the blocks found, in order. */
  readonly names: readonly string[];
  /** Block names no sample answers to (a typo, or a sample that was removed). */
  readonly unknown: readonly string[];
}

/** The block's canonical form: the markers around a fence that cannot collide with the sample's text. */
export function renderBlock(name: string, sample: DocSample): string {
  const longestRun = Math.max(2, ...[...sample.text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  return `<!-- sample:${name} -->\n\n${fence}${sample.lang}\n${sample.text.replace(/\n+$/, '')}\n${fence}\n\n<!-- /sample:${name} -->`;
}

/** Replaces every sample block of `markdown` by its freshly generated form. */
export function fillSamples(markdown: string, samples: ReadonlyMap<string, DocSample>): FilledDoc {
  const names: string[] = [];
  const unknown: string[] = [];
  const text = markdown.replace(BLOCK, (block, name: string) => {
    names.push(name);
    const sample = samples.get(name);
    if (sample === undefined) {
      unknown.push(name);
      return block;
    }
    return renderBlock(name, sample);
  });
  return { text, names, unknown };
}
