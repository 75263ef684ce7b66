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
  | { readonly kind: 'not-json'; readonly text: string };

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
  try {
    return { kind: 'json', value: JSON.parse(trimmed) };
  } catch {
    return { kind: 'not-json', text: trimmed };
  }
}
