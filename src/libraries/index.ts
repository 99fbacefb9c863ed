import { prismaLibrary } from './prisma.js';
import type { LibrarySpec } from './types.js';

export type { LibrarySpec } from './types.js';

/** Every library the scanner knows, in report order. */
export const LIBRARIES: readonly LibrarySpec[] = [prismaLibrary];

export function libraryForGeneratedClient(): LibrarySpec {
  return prismaLibrary;
}
