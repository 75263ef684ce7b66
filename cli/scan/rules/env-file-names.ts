/** Suffixes of env files that are meant to be committed with placeholder values. */
const TEMPLATE_PARTS = new Set([
  'example',
  'examples',
  'sample',
  'template',
  'tmpl',
  'tpl',
  'dist',
  'defaults',
]);

/** `.env` or `.env.<anything>`: the files dotenv-style tools load. */
export function isEnvFile(baseName: string): boolean {
  return baseName === '.env' || (baseName.startsWith('.env.') && baseName.length > '.env.'.length);
}

/** `.env.example`, `.env.sample.local`…: committed on purpose, so only a real-shaped key is a finding. */
export function isEnvTemplate(baseName: string): boolean {
  if (!isEnvFile(baseName)) return false;
  return baseName
    .slice('.env.'.length)
    .toLowerCase()
    .split('.')
    .some((part) => TEMPLATE_PARTS.has(part));
}
