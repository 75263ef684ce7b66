/**
 * How a configured model id relates to the rows of `/models` (openrouter-api-more.md §7):
 * - dynamic (routing) variants `:nitro`, `:floor`, `:exacto`, `:online` work on any model and are
 *   not rows of their own: the base id must be listed;
 * - static variants (`:free`, `:thinking`, `:extended`) and `~author/family-latest` aliases are
 *   rows of their own: they must be listed as written;
 * - routers (`openrouter/auto`, …) choose a model per request: there is nothing to list.
 */

export const ROUTING_VARIANTS = ['nitro', 'floor', 'exacto', 'online'] as const;

/** OpenRouter's routers: a request to one is served by whichever model it picks. */
export const ROUTERS: ReadonlySet<string> = new Set([
  'openrouter/auto',
  'openrouter/auto-beta',
  'openrouter/free',
]);

export type ModelIdForm =
  | { readonly kind: 'router'; readonly id: string }
  | { readonly kind: 'routing-variant'; readonly id: string; readonly base: string; readonly variant: string }
  | { readonly kind: 'alias'; readonly id: string }
  | { readonly kind: 'listed'; readonly id: string };

export function modelIdForm(id: string): ModelIdForm {
  if (ROUTERS.has(id)) return { kind: 'router', id };
  if (id.startsWith('~')) return { kind: 'alias', id };
  const colon = id.lastIndexOf(':');
  if (colon > 0) {
    const variant = id.slice(colon + 1);
    if ((ROUTING_VARIANTS as readonly string[]).includes(variant)) {
      return { kind: 'routing-variant', id, base: id.slice(0, colon), variant };
    }
  }
  return { kind: 'listed', id };
}
