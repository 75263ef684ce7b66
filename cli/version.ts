// Bundled into dist/ at build time, so reading the version costs no file access at run time. A
// named import without an import attribute lets esbuild keep only this field of package.json.
import { version } from '../package.json';

/** The CLI's version, from package.json. */
export const VERSION: string = version;
