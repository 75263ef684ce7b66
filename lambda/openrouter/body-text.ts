/**
 * First look at a response body, before any endpoint-specific reading. OpenRouter pads slow
 * non-streaming answers with leading blank lines, Cloudflare answers edge timeouts (524) with an
 * HTML page, and some failures come with an empty or truncated body; each case gets its own kind
 * so the caller can say precisely what went wrong.
 */
export type DecodedBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'empty' }
  | { readonly kind: 'html'; readonly title: string | null }
  | {
      readonly kind: 'not-json';
      readonly text: string;
      /** Set when the text was not parsed at all because of its shape (see {@link checkJsonShape}). */
      readonly refused?: string;
    };

/**
 * Deeper than any OpenRouter answer (about 6 levels) by a wide margin. A deeper document is
 * refused before parsing: 16 MB of `[[[[…` would otherwise become millions of nested arrays.
 */
export const MAX_JSON_DEPTH = 64;
/**
 * Values (objects, arrays, strings, numbers, literals) in one document; the full model catalog
 * holds some tens of thousands. A body of millions of tiny values (`[{},{},…]`) parses into
 * hundreds of megabytes of objects, past a 256 MB function, so it is refused before parsing.
 */
export const MAX_JSON_VALUES = 1_000_000;

/**
 * Why `text` must not be parsed, or null. One pass over the text outside strings: nesting depth
 * and a count of values (each `,`, `[`, `{` and `:` starts at most one), nothing allocated.
 */
export function checkJsonShape(
  text: string,
  limits = { maxDepth: MAX_JSON_DEPTH, maxValues: MAX_JSON_VALUES },
): string | null {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i += 1; // backslash: the next character is escaped
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth += 1;
      values += 1;
      if (depth > limits.maxDepth) return `JSON nested deeper than ${limits.maxDepth} levels`;
    } else if (c === 93 || c === 125) depth -= 1;
    else if (c === 44) values += 1;
    if (values > limits.maxValues)
      return `JSON with more than ${limits.maxValues.toLocaleString('en-US')} values`;
  }
  return null;
}

const HTML_START = /^<(!doctype\s+html|html|head|body|title|\?xml|!--)/i;
const TITLE = /<title[^>]*>([^<]{0,500})<\/title>/i;

/** Never throws: a body that is not JSON is a kind, not an exception. */
export function decodeBodyText(text: string): DecodedBody {
  // A UTF-8 BOM and keep-alive padding are not part of the document.
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') return { kind: 'empty' };
  if (HTML_START.test(trimmed)) {
    const title = TITLE.exec(trimmed)?.[1]?.replace(/\s+/g, ' ').trim();
    return { kind: 'html', title: title ? title : null };
  }
  const refused = checkJsonShape(trimmed);
  if (refused !== null) return { kind: 'not-json', text: trimmed.slice(0, 2_000), refused };
  try {
    return { kind: 'json', value: JSON.parse(trimmed) };
  } catch {
    return { kind: 'not-json', text: trimmed };
  }
}
