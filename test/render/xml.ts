/**
 * A deliberately small XML 1.0 well-formedness checker and parser for the JUnit tests: elements,
 * attributes, text, the five predefined entities and numeric references. It throws on anything a
 * conforming parser would reject among what a renderer could plausibly produce (unbalanced or
 * crossed tags, raw `<` or `&`, bad references, forbidden characters, duplicate attributes,
 * more than one root).
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME = '[A-Za-z_:][A-Za-z0-9_:.-]*';
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);?/g, (match, ref: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref] ?? '';
    const num = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? /^#([0-9]+)$/.exec(ref)?.[1];
    if (num === undefined) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = ref.startsWith('#x') ? Number.parseInt(num, 16) : Number.parseInt(num, 10);
    const char = String.fromCodePoint(code);
    if (FORBIDDEN.test(char)) throw new Error(`reference to a forbidden character in ${where}`);
    return char;
  });
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('document contains a character XML forbids');
  let rest = xml.replace(/^<\?xml[^?]*\?>/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (rest.length > 0) {
    const lt = rest.indexOf('<');
    const text = lt === -1 ? rest : rest.slice(0, lt);
    const parent = stack.at(-1);
    if (parent) parent.text += decode(text, `text of <${parent.name}>`);
    else if (text.trim() !== '') throw new Error('text outside the root element');
    if (lt === -1) break;
    rest = rest.slice(lt);
    const close = new RegExp(`^</(${NAME})\\s*>`).exec(rest);
    if (close) {
      const open = stack.pop();
      if (open?.name !== close[1]) throw new Error(`</${close[1]}> closes <${open?.name ?? 'nothing'}>`);
      rest = rest.slice(close[0].length);
      continue;
    }
    const tag = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`).exec(rest);
    if (!tag) throw new Error(`malformed markup near ${JSON.stringify(rest.slice(0, 40))}`);
    const [whole, name = '', attrText = '', selfClosing] = tag;
    const attributes: Record<string, string> = {};
    for (const [, key = '', dq, sq] of attrText.matchAll(
      new RegExp(`(${NAME})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g'),
    )) {
      if (key in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
      attributes[key] = decode(dq ?? sq ?? '', `attribute ${key} of <${name}>`);
    }
    const element: XmlElement = { name, attributes, children: [], text: '' };
    if (parent) parent.children.push(element);
    else if (root) throw new Error('more than one root element');
    else root = element;
    if (selfClosing !== '/') stack.push(element);
    rest = rest.slice(whole.length);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.map((e) => e.name).join('>, <')}>`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element named `name` under `element`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...findAll(child, name),
  ]);
}
