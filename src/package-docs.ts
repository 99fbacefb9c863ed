import { fileURLToPath } from 'node:url';

/**
 * The package's docs folder (rule pages for SARIF help). Like version.ts, this module sits two
 * levels below the package both as dist/src/package-docs.js and inside dist/bundle/leakhound.js.
 */
export const PACKAGE_DOCS_DIR: string = fileURLToPath(new URL('../../docs/', import.meta.url));
