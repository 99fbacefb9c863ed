import { drizzleLibrary } from './drizzle.js';
import { knexLibrary } from './knex.js';
import { mongooseLibrary } from './mongoose.js';
import { mysql2Library } from './mysql2.js';
import { pgLibrary } from './pg.js';
import { postgresJsLibrary } from './postgres-js.js';
import { prismaLibrary } from './prisma.js';
import { ioredisLibrary, redisLibrary } from './redis.js';
import { sequelizeLibrary } from './sequelize.js';
import { typeormLibrary } from './typeorm.js';
import type { LibrarySpec } from './types.js';

export type { Database, LibrarySpec, PoolContext, PoolEstimate } from './types.js';

/** Every database library the scanner knows, in report order. */
export const LIBRARIES: readonly LibrarySpec[] = [
  prismaLibrary,
  pgLibrary,
  postgresJsLibrary,
  knexLibrary,
  mysql2Library,
  sequelizeLibrary,
  typeormLibrary,
  drizzleLibrary,
  mongooseLibrary,
  ioredisLibrary,
  redisLibrary,
];

export function libraryById(id: string): LibrarySpec | undefined {
  return LIBRARIES.find((library) => library.id === id);
}

export function libraryForGeneratedClient(): LibrarySpec {
  return prismaLibrary;
}
