/** Relative links and heading anchors of Markdown files, read the way GitHub renders them. */

/** GitHub's heading anchor: lower case, punctuation dropped (letters, digits, `_`, `-` kept), spaces to `-`. */
export function headingSlug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Lines outside fenced code blocks, with their 1-based numbers; inline code spans blanked. */
function proseLines(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker !== undefined) {
      fence = marker;
      return;
    }
    if (fence !== null) {
      if (marker?.startsWith(fence) && line.trim().replaceAll(fence[0] ?? '`', '') === '') fence = null;
      return;
    }
    out.push({ line: line.replace(/`+[^`]*`+/g, ''), number: index + 1 });
  });
  return out;
}

/** Every anchor a file's headings define, with GitHub's `-1`, `-2` suffixes for repeats. */
export function headingAnchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { line } of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = headingSlug(heading);
    const count = seen.get(base) ?? 0;
    anchors.add(count === 0 ? base : `${base}-${count}`);
    seen.set(base, count + 1);
  }
  return anchors;
}

export interface Link {
  readonly line: number;
  readonly target: string;
}

/** The targets of inline links and images (`](target)`, also when the text wraps), outside code. */
export function relativeLinks(text: string): Link[] {
  const links: Link[] = [];
  for (const { line, number } of proseLines(text)) {
    for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links.push({ line: number, target });
    }
  }
  return links;
}
