/**
 * Prisma: `PrismaClient` from `@prisma/client` (any entry point that exports it: `/edge`,
 * `/wasm`, `/react-native`, `/default`, …), from `.prisma/client`, or from a generated client
 * folder (`prisma-client-js` or Prisma 7's `prisma-client` generator with a custom `output`),
 * which the resolver recognises from the schema's generator blocks.
 */
import type { LibrarySpec } from './types.js';

const NOT_CLIENT_ENTRY_POINTS = /^@prisma\/client\/(runtime|extension|sql|index-browser|generator-build)(\/|$)/;

export const prismaLibrary: LibrarySpec = {
  id: 'prisma',
  isClientModule(specifier) {
    if (NOT_CLIENT_ENTRY_POINTS.test(specifier)) return false;
    return (
      specifier === '@prisma/client' ||
      specifier.startsWith('@prisma/client/') ||
      specifier === '.prisma/client' ||
      specifier.startsWith('.prisma/client/')
    );
  },
  constructors: new Set(['PrismaClient']),
  defaultIsNamespace: true,
  prefilterWords: ['PrismaClient'],
};
