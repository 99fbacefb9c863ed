/**
 * Deterministic generator of a large TypeScript monorepo for the benchmark: apps (express API,
 * queue worker, Next.js web, a legacy CommonJS admin), workspace packages (`@acme/db` with a
 * committed Prisma client, `@acme/shared`, `@acme/ui`), scripts and tests, in every source
 * extension (.ts .tsx .mts .cts .js .jsx .mjs .cjs). Hidden among the filler code are the TRUE
 * Prisma client construction sites, in every binding shape a scanner must resolve, and DECOYS
 * that a text search over-counts. `manifest.json` at the corpus root lists both.
 *
 *   node dist/bench/generate-corpus.js --out DIR [--files 20000] [--sites 300] [--seed 1]
 *
 * Same options, same bytes: one seeded PRNG plans the tree, and each file's content comes
 * from its own PRNG seeded with the corpus seed and the file's path.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, posix, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DOMAINS,
  FEATURES,
  MODELS,
  COMPONENT_SUFFIXES,
  PAGE_SEGMENTS,
  ROUTE_GROUPS,
  STATUSES,
  VERBS,
  Rng,
  hashString,
  sentence,
  type Domain,
} from './corpus-words.js';
import {
  FileContext,
  cacheClassUnit,
  componentUnit,
  constMapUnit,
  controllerUnit,
  cronUnit,
  e2eUnit,
  errorClassUnit,
  helpersUnit,
  hookUnit,
  layoutUnit,
  middlewareUnit,
  nextRouteUnit,
  pageUnit,
  processorUnit,
  reducerUnit,
  repoClassUnit,
  retryUnit,
  routesUnit,
  scriptMainUnit,
  serviceClassUnit,
  serviceFnUnit,
  testUnit,
  typesUnit,
  zodUnit,
  type Ext,
  type Unit,
} from './corpus-units.js';
import { GENERATED_DIR } from './corpus-prisma.js';
import { LOCAL_CLASS_TS, fixedFiles, localClassFile, markdownFiles, type FixedFile } from './corpus-fixed.js';

export const GENERATOR_VERSION = 1;
export const DEFAULT_FILES = 20_000;
export const DEFAULT_SITES = 300;
export const DEFAULT_SEED = 1;
/** The text `rg "new PrismaClient"` looks for. */
export const GREP_NEEDLE = 'new PrismaClient';

// ---------------------------------------------------------------------------------------------
// The manifest: what the bench scores against
// ---------------------------------------------------------------------------------------------

export type ShapeId =
  | 'named-import'
  | 'aliased-import'
  | 'namespace-import'
  | 'default-import-destructure'
  | 'require-destructure'
  | 'require-member'
  | 'dynamic-import'
  | 'generated-relative'
  | 'generated-alias'
  | 'workspace-barrel'
  | 'workspace-renamed'
  | 'subclass'
  | 'subclass-workspace';

export type ContextId =
  | 'module-const'
  | 'module-export'
  | 'global-singleton'
  | 'lazy-singleton'
  | 'static-field'
  | 'constructor'
  | 'instance-field'
  | 'method'
  | 'function'
  | 'express-handler'
  | 'next-handler'
  | 'server-component'
  | 'timer'
  | 'queue-processor'
  | 'cron'
  | 'event-listener'
  | 'test-hook'
  | 'test-case';

export type DecoyKind =
  | 'comment'
  | 'jsdoc'
  | 'string'
  | 'template'
  | 'error-class'
  | 'error-class-namespace'
  | 'local-class'
  | 'local-class-import'
  | 'type-only'
  | 'markdown'
  | 'generated';

export interface ManifestSite {
  file: string;
  /** 1-based line of the `new`. */
  line: number;
  /** 1-based column of the `new` (every site line is ASCII up to the `new`: bytes = UTF-16 units). */
  column: number;
  shape: ShapeId;
  context: ContextId;
  /** What leakhound's `scope` should say: `module` runs once per process, `function` per call. */
  scope: 'module' | 'function';
  inTest: boolean;
  /** The constructor as written: `PrismaClient`, `Db`, `P.PrismaClient`. */
  callee: string;
  /** `rg "new PrismaClient"` matches at this position. */
  grep: boolean;
  /** ESLint's `NewExpression[callee.name='PrismaClient']` reports it. */
  eslint: boolean;
}

export interface ManifestDecoy {
  file: string;
  line: number;
  column: number;
  kind: DecoyKind;
  grep: boolean;
  eslint: boolean;
}

export interface CorpusManifest {
  generator: { name: 'leakhound-bench-corpus'; version: number };
  params: { files: number; sites: number; seed: number };
  /** sha256 over every path and content: tells whether a corpus on disk is current. */
  digest: string;
  totals: { files: number; bytes: number; sourceFiles: number; sourceBytes: number; byExtension: Record<string, number> };
  /** What the baselines should report on this corpus, for a sanity check of the bench itself. */
  expected: { grepMatches: number; eslintReports: number; grepFoundSites: number; eslintFoundSites: number };
  shapes: Record<string, { sites: number; grep: number; eslint: number }>;
  decoyCounts: Record<string, number>;
  sites: ManifestSite[];
  decoys: ManifestDecoy[];
}

export interface CorpusOptions {
  files?: number;
  sites?: number;
  seed?: number;
}

export interface Corpus {
  /** Path (posix, relative) → content, in path order. */
  files: Map<string, string>;
  manifest: CorpusManifest;
}

// ---------------------------------------------------------------------------------------------
// Roles: what kinds of files the monorepo holds, where they live, what they import
// ---------------------------------------------------------------------------------------------

type RoleId =
  | 'api-route'
  | 'api-controller'
  | 'api-service'
  | 'api-middleware'
  | 'api-validator'
  | 'api-types'
  | 'api-util'
  | 'worker-processor'
  | 'worker-cron'
  | 'worker-lib'
  | 'web-page'
  | 'web-layout'
  | 'web-route'
  | 'web-component'
  | 'web-hook'
  | 'web-lib'
  | 'shared-util'
  | 'shared-types'
  | 'shared-validation'
  | 'db-repo'
  | 'ui-component'
  | 'legacy-js'
  | 'legacy-jsx'
  | 'script'
  | 'test-unit'
  | 'test-e2e'
  | 'local-class';

interface PlannedFile {
  path: string;
  role: RoleId;
  ext: Ext;
  d: Domain;
  feature: string;
  target: number;
  /** The file declares an express `router`. */
  router: boolean;
  shape: ShapeId | null;
  sites: { id: number; context: ContextId }[];
  decoys: { id: number; kind: DecoyKind }[];
}

interface RoleDef {
  weight: number;
  place(rng: Rng, d: Domain, feature: string): { path: string; ext: Ext };
  header(c: FileContext, f: PlannedFile): string[];
  footer?(c: FileContext, f: PlannedFile): string;
  lead?: Unit;
  units: readonly (readonly [Unit, number])[];
  contexts: readonly ContextId[];
  test?: boolean;
}

/** A relative module specifier from `from` (a file) to `to` (a path without extension). */
function rel(from: string, to: string, suffix: '.js' | ''): string {
  let out = posix.relative(posix.dirname(from), to);
  if (!out.startsWith('.')) out = `./${out}`;
  return out + suffix;
}

const API_PRISMA = 'apps/api/src/lib/prisma';
const WORKER_PRISMA = 'apps/worker/src/lib/prisma';

function importLine(c: FileContext, names: string, from: string): string {
  return c.cjs ? `const ${names.replace(/ as /g, ': ')} = require('${from}');` : `import ${names} from '${from}';`;
}

function expressHeader(c: FileContext, f: PlannedFile, withPrisma: boolean): string[] {
  c.reserve('Router', 'Request', 'Response', 'NextFunction', 'logger');
  const lines = [
    `import { Router, type NextFunction, type Request, type Response } from 'express';`,
    `import { logger } from '@acme/shared';`,
  ];
  if (withPrisma) {
    c.reserve('prisma');
    lines.push(`import { prisma } from '${rel(f.path, API_PRISMA, '.js')}';`);
  }
  return lines;
}

/**
 * Type-level uses of Prisma, as most files of a Prisma code base have them (`Prisma.XWhereInput`,
 * a `PrismaClient` parameter type): no construction, but the names a text filter looks for.
 * Only in files that hold no site and no decoy, so that the names never clash.
 */
function prismaTypeImport(c: FileContext, f: PlannedFile, from = '@prisma/client'): string[] {
  if (!c.ts || f.sites.length > 0 || f.decoys.length > 0 || !c.rng.chance(0.3)) return [];
  const m = c.rng.pick(MODELS);
  if (c.rng.chance(0.5)) {
    c.reserve('PrismaClient');
    const name = c.uniq(`${m.S}Access`);
    return [`import type { PrismaClient } from '${from}';`, '', `export type ${name} = Pick<PrismaClient, '${m.s}' | '$transaction'>;`];
  }
  c.reserve('Prisma');
  const name = c.uniq(`default${m.S}Where`);
  return [
    `import type { Prisma } from '${from}';`,
    '',
    `const ${name}: Prisma.${m.S}WhereInput = { status: { not: '${c.rng.pick(STATUSES)}' } };`,
    `void ${name};`,
  ];
}

const ROLES: Record<RoleId, RoleDef> = {
  'api-route': {
    weight: 6,
    place: (rng, d, feature) => ({ path: `apps/api/src/routes/${d.kp}/${feature}.routes.ts`, ext: 'ts' }),
    header(c, f) {
      c.hasRouter = true;
      c.reserve('z', 'requireAuth', 'router');
      return [
        ...expressHeader(c, f, true),
        `import { z } from 'zod';`,
        `import { requireAuth } from '${rel(f.path, 'apps/api/src/middleware/auth', '.js')}';`,
        '',
        'const router = Router();',
      ];
    },
    footer: () => '\nexport default router;\n',
    units: [[routesUnit, 6], [zodUnit, 1], [helpersUnit, 1], [serviceFnUnit, 1]],
    contexts: ['express-handler', 'express-handler', 'express-handler', 'module-const', 'function', 'lazy-singleton'],
  },
  'api-controller': {
    weight: 5,
    place: (rng, d, feature) => ({ path: `apps/api/src/controllers/${d.kp}/${feature}.controller.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve(`${f.d.S}Service`);
      return [
        ...expressHeader(c, f, false),
        `import { ${f.d.S}Service } from '${rel(f.path, `apps/api/src/services/${f.d.kp}/${f.feature}.service`, '.js')}';`,
        ...prismaTypeImport(c, f),
      ];
    },
    units: [[controllerUnit, 4], [typesUnit, 1], [helpersUnit, 1], [errorClassUnit, 1]],
    contexts: ['constructor', 'instance-field', 'method', 'module-const'],
  },
  'api-service': {
    weight: 8,
    place: (rng, d, feature) => ({ path: `apps/api/src/services/${d.kp}/${feature}.service.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve('prisma', 'logger');
      return [
        `import { logger } from '@acme/shared';`,
        `import { prisma } from '${rel(f.path, API_PRISMA, '.js')}';`,
        ...prismaTypeImport(c, f),
      ];
    },
    units: [[serviceFnUnit, 5], [serviceClassUnit, 3], [cacheClassUnit, 1], [typesUnit, 2], [errorClassUnit, 1], [retryUnit, 1]],
    contexts: ['constructor', 'instance-field', 'static-field', 'method', 'function', 'module-const', 'module-export', 'lazy-singleton'],
  },
  'api-middleware': {
    weight: 1.5,
    place: (rng, d, feature) => ({ path: `apps/api/src/middleware/${d.k}-${feature}.ts`, ext: 'ts' }),
    header: (c, f) => expressHeader(c, f, false),
    units: [[middlewareUnit, 4], [helpersUnit, 1], [cacheClassUnit, 1]],
    contexts: ['function', 'module-const', 'lazy-singleton'],
  },
  'api-validator': {
    weight: 3,
    place: (rng, d, feature) => ({ path: `apps/api/src/validators/${d.kp}/${feature}.schema.ts`, ext: 'ts' }),
    header(c) {
      c.reserve('z');
      return [`import { z } from 'zod';`];
    },
    units: [[zodUnit, 5], [constMapUnit, 1]],
    contexts: [],
  },
  'api-types': {
    weight: 3,
    place: (rng, d, feature) => ({ path: `apps/api/src/types/${d.k}-${feature}.types.ts`, ext: 'ts' }),
    header(c) {
      const m = c.rng.pick(MODELS);
      c.reserve(m.S);
      return c.rng.chance(0.5) ? [`import type { ${m.S} } from '@acme/db';`] : [];
    },
    units: [[typesUnit, 1]],
    contexts: [],
  },
  'api-util': {
    weight: 2,
    place: (rng, d, feature) => ({ path: `apps/api/src/utils/${d.k}/${feature}.ts`, ext: 'ts' }),
    header(c) {
      c.reserve('logger');
      return [`import { logger } from '@acme/shared';`];
    },
    units: [[helpersUnit, 3], [retryUnit, 1], [cacheClassUnit, 1], [constMapUnit, 1], [reducerUnit, 1]],
    contexts: ['function', 'module-const', 'lazy-singleton'],
  },
  'worker-processor': {
    weight: 6,
    place: (rng, d, feature) => ({ path: `apps/worker/src/processors/${d.kp}/${feature}.processor.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve('Worker', 'Job', 'connection', 'prisma', 'logger');
      return [
        `import { Worker, type Job } from 'bullmq';`,
        `import { logger } from '@acme/shared';`,
        `import { connection } from '${rel(f.path, 'apps/worker/src/lib/redis', '.js')}';`,
        `import { prisma } from '${rel(f.path, WORKER_PRISMA, '.js')}';`,
      ];
    },
    units: [[processorUnit, 4], [helpersUnit, 1], [retryUnit, 1], [typesUnit, 1]],
    contexts: ['queue-processor', 'queue-processor', 'queue-processor', 'module-const', 'function'],
  },
  'worker-cron': {
    weight: 2.5,
    place: (rng, d, feature) => ({ path: `apps/worker/src/cron/${d.k}-${feature}.job.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve('cron', 'prisma', 'logger');
      return [
        `import cron from 'node-cron';`,
        `import { logger } from '@acme/shared';`,
        `import { prisma } from '${rel(f.path, WORKER_PRISMA, '.js')}';`,
      ];
    },
    units: [[cronUnit, 3], [helpersUnit, 1], [serviceFnUnit, 1]],
    contexts: ['cron', 'cron', 'timer', 'timer', 'module-const'],
  },
  'worker-lib': {
    weight: 2.5,
    place: (rng, d, feature) => ({ path: `apps/worker/src/lib/${d.kp}/${feature}.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve('prisma', 'logger');
      return [`import { logger } from '@acme/shared';`, `import { prisma } from '${rel(f.path, WORKER_PRISMA, '.js')}';`, ...prismaTypeImport(c, f, '@acme/db')];
    },
    units: [[serviceFnUnit, 2], [helpersUnit, 2], [retryUnit, 1], [cacheClassUnit, 1], [typesUnit, 1]],
    contexts: ['module-export', 'lazy-singleton', 'function', 'event-listener'],
  },
  'web-page': {
    weight: 6,
    place: (rng, d) => {
      const segment = rng.pick(PAGE_SEGMENTS);
      return { path: `apps/web/src/app/${rng.pick(ROUTE_GROUPS)}/${d.kp}${segment ? `/${segment}` : ''}/page.tsx`, ext: 'tsx' };
    },
    header(c, f) {
      c.reserve('notFound', 'db', `${f.d.S}List`);
      return [
        `import { notFound } from 'next/navigation';`,
        `import { db } from '@/lib/db';`,
        `import { ${f.d.S}List } from '@/components/${f.d.kp}/${f.d.S}List';`,
      ];
    },
    lead: pageUnit,
    // A page is a server component: no hooks here, only data and helpers.
    units: [[helpersUnit, 2], [constMapUnit, 1], [typesUnit, 1]],
    contexts: ['server-component'],
  },
  'web-layout': {
    weight: 1,
    place: (rng, d) => ({ path: `apps/web/src/app/${rng.pick(ROUTE_GROUPS)}/${d.kp}/layout.tsx`, ext: 'tsx' }),
    header(c) {
      c.reserve('ReactNode');
      return [`import type { ReactNode } from 'react';`];
    },
    lead: layoutUnit,
    units: [[constMapUnit, 1], [helpersUnit, 1]],
    contexts: [],
  },
  'web-route': {
    weight: 4,
    place: (rng, d) => {
      const segment = rng.pick(PAGE_SEGMENTS);
      return { path: `apps/web/src/app/api/${d.kp}${segment ? `/${segment}` : ''}/route.ts`, ext: 'ts' };
    },
    header(c) {
      c.reserve('NextResponse', 'NextRequest', 'db', 'z');
      return [`import { NextResponse, type NextRequest } from 'next/server';`, `import { z } from 'zod';`, `import { db } from '@/lib/db';`];
    },
    units: [[nextRouteUnit, 4], [zodUnit, 1], [helpersUnit, 1]],
    contexts: ['next-handler', 'next-handler', 'next-handler', 'module-const'],
  },
  'web-component': {
    weight: 10,
    place: (rng, d) => ({ path: `apps/web/src/components/${d.kp}/${d.S}${rng.pick(COMPONENT_SUFFIXES)}.tsx`, ext: 'tsx' }),
    header(c) {
      c.reserve('useEffect', 'useMemo', 'useState');
      return [...(c.rng.chance(0.6) ? [`'use client';`, ''] : []), `import { useEffect, useMemo, useState } from 'react';`];
    },
    units: [[componentUnit, 5], [constMapUnit, 1], [helpersUnit, 1], [reducerUnit, 1]],
    contexts: [],
  },
  'web-hook': {
    weight: 3,
    place: (rng, d, feature) => ({ path: `apps/web/src/hooks/${d.kp}/use-${d.k}-${feature}.ts`, ext: 'ts' }),
    header(c) {
      c.reserve('useCallback', 'useEffect', 'useRef', 'useState');
      return [`import { useCallback, useEffect, useRef, useState } from 'react';`];
    },
    units: [[hookUnit, 4], [reducerUnit, 1], [helpersUnit, 1]],
    contexts: [],
  },
  'web-lib': {
    weight: 3,
    place: (rng, d, feature) => ({ path: `apps/web/src/lib/${d.kp}/${feature}.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve('db', 'logger');
      return [`import { logger } from '@acme/shared';`, `import { db } from '@/lib/db';`, ...prismaTypeImport(c, f, '@/db/generated/prisma/client')];
    },
    units: [[serviceFnUnit, 3], [helpersUnit, 2], [cacheClassUnit, 1], [typesUnit, 1]],
    contexts: ['module-export', 'lazy-singleton', 'function'],
  },
  'shared-util': {
    weight: 4,
    place: (rng, d, feature) => ({ path: `packages/shared/src/${d.kp}/${feature}.ts`, ext: rng.chance(0.04) ? 'cts' : rng.chance(0.04) ? 'mts' : 'ts' }),
    header(c, f) {
      c.reserve('logger');
      return [`import { logger } from '${rel(f.path, 'packages/shared/src/logger', '.js')}';`];
    },
    units: [[helpersUnit, 3], [retryUnit, 1], [cacheClassUnit, 1], [reducerUnit, 1], [constMapUnit, 1], [errorClassUnit, 1]],
    contexts: ['function', 'lazy-singleton'],
  },
  'shared-types': {
    weight: 3,
    place: (rng, d, feature) => ({ path: `packages/shared/src/types/${d.k}-${feature}.ts`, ext: 'ts' }),
    header: () => [],
    units: [[typesUnit, 1]],
    contexts: [],
  },
  'shared-validation': {
    weight: 2,
    place: (rng, d, feature) => ({ path: `packages/shared/src/validation/${d.k}-${feature}.ts`, ext: 'ts' }),
    header(c) {
      c.reserve('z');
      return [`import { z } from 'zod';`];
    },
    units: [[zodUnit, 4], [constMapUnit, 1]],
    contexts: [],
  },
  'db-repo': {
    weight: 2,
    place: (rng, d, feature) => ({ path: `packages/db/src/repositories/${d.k}-${feature}.repository.ts`, ext: 'ts' }),
    header(c, f) {
      c.reserve('prisma', 'logger');
      return [`import { logger } from '@acme/shared';`, `import { prisma } from '${rel(f.path, 'packages/db/src/client', '.js')}';`, ...prismaTypeImport(c, f, '../generated/prisma/client.js')];
    },
    units: [[repoClassUnit, 4], [serviceFnUnit, 1], [typesUnit, 1]],
    contexts: ['constructor', 'instance-field', 'module-const', 'function'],
  },
  'ui-component': {
    weight: 4,
    place: (rng, d) => ({ path: `packages/ui/src/${d.kp}/${d.S}${rng.pick(COMPONENT_SUFFIXES)}.tsx`, ext: 'tsx' }),
    header(c) {
      c.reserve('useEffect', 'useMemo', 'useState');
      return [`import { useEffect, useMemo, useState } from 'react';`];
    },
    units: [[componentUnit, 5], [constMapUnit, 1], [reducerUnit, 1]],
    contexts: [],
  },
  'legacy-js': {
    weight: 2,
    place: (rng, d, feature) => ({ path: `apps/legacy-admin/src/${rng.pick(['routes', 'routes', 'services', 'lib'])}/${d.k}-${feature}.js`, ext: 'js' }),
    header(c, f) {
      c.reserve('express', 'prisma', 'logger', 'z', 'requireAuth');
      const lines = [
        `'use strict';`,
        '',
        `const express = require('express');`,
        `const { z } = require('zod');`,
        `const { prisma } = require('${rel(f.path, 'apps/legacy-admin/src/lib/db', '')}');`,
        `const logger = require('${rel(f.path, 'apps/legacy-admin/src/lib/logger', '')}');`,
        `const { requireAuth } = require('${rel(f.path, 'apps/legacy-admin/src/middleware/auth', '')}');`,
      ];
      if (f.router) {
        c.hasRouter = true;
        c.reserve('router');
        lines.push('', 'const router = express.Router();');
      }
      return lines;
    },
    footer(c, f) {
      const names = c.cjsExports;
      if (f.router) return `\nmodule.exports = router;\n${names.map((n) => `module.exports.${n} = ${n};`).join('\n')}${names.length ? '\n' : ''}`;
      return `\nmodule.exports = {\n${names.map((n) => `  ${n},`).join('\n')}\n};\n`;
    },
    units: [[routesUnit, 3], [serviceFnUnit, 2], [helpersUnit, 2], [cacheClassUnit, 1], [retryUnit, 1]],
    contexts: ['express-handler', 'express-handler', 'module-const', 'function', 'timer', 'event-listener'],
  },
  'legacy-jsx': {
    weight: 2,
    place: (rng, d) => ({ path: `apps/legacy-admin/src/components/${d.kp}/${d.S}${rng.pick(COMPONENT_SUFFIXES)}.jsx`, ext: 'jsx' }),
    header(c) {
      c.reserve('React', 'useEffect', 'useMemo', 'useState');
      return [`import React, { useEffect, useMemo, useState } from 'react';`];
    },
    units: [[componentUnit, 5], [constMapUnit, 1], [reducerUnit, 1]],
    contexts: [],
  },
  script: {
    weight: 1.5,
    place: (rng, d, feature) => {
      const ext = rng.weighted<Ext>(['ts', 'mjs', 'cjs', 'mts', 'cts'], [40, 25, 20, 10, 5]);
      return {
        path: `scripts/${rng.pick(['db', 'maintenance', 'migrations', 'seed', 'ops', 'backfill'])}/${rng.pick(VERBS)}-${d.kp}-${feature}.${ext}`,
        ext,
      };
    },
    header(c) {
      c.reserve('db');
      return c.cjs ? [`const { prisma: db } = require('@acme/db');`] : [`import { prisma as db } from '@acme/db';`];
    },
    lead: scriptMainUnit,
    units: [[helpersUnit, 2], [retryUnit, 1], [constMapUnit, 1]],
    contexts: ['module-const', 'module-const', 'function', 'event-listener'],
  },
  'test-unit': {
    weight: 11,
    place: (rng, d, feature) => {
      const suffix = rng.pick(COMPONENT_SUFFIXES);
      return rng.weighted(
        [
          { path: `apps/api/src/services/${d.kp}/__tests__/${feature}.service.test.ts`, ext: 'ts' as Ext },
          { path: `apps/api/test/${d.kp}/${feature}.spec.ts`, ext: 'ts' as Ext },
          { path: `apps/web/src/components/${d.kp}/__tests__/${d.S}${suffix}.test.tsx`, ext: 'tsx' as Ext },
          { path: `packages/shared/src/${d.kp}/${feature}.test.ts`, ext: 'ts' as Ext },
          { path: `apps/worker/src/processors/${d.kp}/${feature}.processor.test.ts`, ext: 'ts' as Ext },
          { path: `apps/legacy-admin/test/${d.k}-${feature}.test.js`, ext: 'js' as Ext },
          { path: `packages/db/src/repositories/__tests__/${d.k}-${feature}.repository.test.ts`, ext: 'ts' as Ext },
        ],
        [30, 15, 20, 10, 12, 5, 8],
      );
    },
    header(c) {
      c.reserve('afterAll', 'afterEach', 'beforeAll', 'beforeEach', 'describe', 'expect', 'it', 'vi');
      return [importLine(c, '{ afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi }', 'vitest')];
    },
    units: [[testUnit, 1]],
    contexts: ['test-hook', 'test-hook', 'test-case', 'test-case', 'module-const'],
    test: true,
  },
  'test-e2e': {
    weight: 2,
    place: (rng, d, feature) =>
      rng.chance(0.7)
        ? { path: `apps/web/e2e/${d.kp}/${feature}.spec.ts`, ext: 'ts' }
        : { path: `apps/api/test/e2e/${d.k}-${feature}.e2e-spec.ts`, ext: 'ts' },
    header(c) {
      c.reserve('expect', 'test');
      return [`import { expect, test } from '@playwright/test';`];
    },
    units: [[e2eUnit, 1]],
    contexts: ['test-hook', 'module-const'],
    test: true,
  },
  // Files that declare their own `class PrismaClient` (an in-memory fake): decoys, planned apart.
  'local-class': {
    weight: 0,
    place: () => ({ path: '', ext: 'ts' }),
    header: () => [],
    units: [],
    contexts: [],
  },
};

// ---------------------------------------------------------------------------------------------
// Binding shapes: how the constructor reaches the site
// ---------------------------------------------------------------------------------------------

interface Binding {
  header: string[];
  /** A statement inside the enclosing async function, before the construction. */
  inline: string | null;
  callee: string;
  /** The TypeScript type of an instance, when it can be named at module level. */
  typeRef: string | null;
  /** Prisma 7 `prisma-client` output: constructed with a driver adapter. */
  adapter: boolean;
}

interface ShapeDef {
  weight: number;
  exts: readonly Ext[];
  where?: (path: string) => boolean;
  async?: boolean;
  bind(c: FileContext, f: PlannedFile): Binding;
}

const TS_EXTS: readonly Ext[] = ['ts', 'tsx', 'mts', 'cts'];
const ESM_EXTS: readonly Ext[] = ['ts', 'tsx', 'mts', 'mjs'];

function freeName(c: FileContext, candidates: readonly string[]): string {
  const name = candidates.find((n) => !c.taken(n)) ?? c.uniq(candidates[0] ?? 'Db');
  c.reserve(name);
  return name;
}

/** Module specifiers in the Next.js app and scripts carry no extension; NodeNext ones end in .js. */
function suffixFor(path: string): '.js' | '' {
  return path.startsWith('apps/web/') || path.startsWith('scripts/') || path.startsWith('packages/ui/') ? '' : '.js';
}

const SHAPES: Record<ShapeId, ShapeDef> = {
  'named-import': {
    weight: 26,
    exts: ['ts', 'tsx', 'mts', 'cts', 'mjs'],
    bind(c) {
      c.reserve('PrismaClient');
      return { header: [`import { PrismaClient } from '@prisma/client';`], inline: null, callee: 'PrismaClient', typeRef: c.ts ? 'PrismaClient' : null, adapter: false };
    },
  },
  'aliased-import': {
    weight: 7,
    exts: ESM_EXTS,
    bind(c) {
      const alias = freeName(c, ['Db', 'Database', 'PrismaDb', 'DbClient', 'PrismaCtor']);
      return { header: [`import { PrismaClient as ${alias} } from '@prisma/client';`], inline: null, callee: alias, typeRef: c.ts ? alias : null, adapter: false };
    },
  },
  'namespace-import': {
    weight: 6,
    exts: ESM_EXTS,
    bind(c) {
      const ns = freeName(c, ['P', 'PrismaModule', 'pc', 'PrismaNs']);
      return { header: [`import * as ${ns} from '@prisma/client';`], inline: null, callee: `${ns}.PrismaClient`, typeRef: c.ts ? `${ns}.PrismaClient` : null, adapter: false };
    },
  },
  'default-import-destructure': {
    weight: 3,
    exts: ['mjs'],
    bind(c) {
      const pkg = freeName(c, ['pkg', 'prismaPkg', 'prismaDefault']);
      c.reserve('PrismaClient');
      return { header: [`import ${pkg} from '@prisma/client';`, '', `const { PrismaClient } = ${pkg};`], inline: null, callee: 'PrismaClient', typeRef: null, adapter: false };
    },
  },
  'require-destructure': {
    weight: 9,
    exts: ['js', 'cjs'],
    bind(c) {
      c.reserve('PrismaClient');
      return { header: [`const { PrismaClient } = require('@prisma/client');`], inline: null, callee: 'PrismaClient', typeRef: null, adapter: false };
    },
  },
  'require-member': {
    weight: 5,
    exts: ['js', 'cjs'],
    bind(c) {
      const mod = freeName(c, ['prismaPkg', 'prismaModule', 'PrismaLib', 'prismaClientPkg']);
      return { header: [`const ${mod} = require('@prisma/client');`], inline: null, callee: `${mod}.PrismaClient`, typeRef: null, adapter: false };
    },
  },
  'dynamic-import': {
    weight: 6,
    exts: ['ts', 'tsx', 'mts', 'mjs', 'js', 'cjs'],
    async: true,
    bind() {
      return { header: [], inline: `const { PrismaClient } = await import('@prisma/client');`, callee: 'PrismaClient', typeRef: null, adapter: false };
    },
  },
  'generated-relative': {
    weight: 7,
    exts: TS_EXTS,
    bind(c, f) {
      c.reserve('PrismaClient', 'PrismaPg');
      return {
        header: [`import { PrismaPg } from '@prisma/adapter-pg';`, `import { PrismaClient } from '${rel(f.path, `${GENERATED_DIR}/client`, suffixFor(f.path))}';`],
        inline: null,
        callee: 'PrismaClient',
        typeRef: 'PrismaClient',
        adapter: true,
      };
    },
  },
  'generated-alias': {
    weight: 7,
    exts: ['ts', 'tsx'],
    where: (path) => path.startsWith('apps/') && !path.startsWith('apps/legacy-admin/'),
    bind(c, f) {
      c.reserve('PrismaClient', 'PrismaPg');
      return {
        header: [`import { PrismaPg } from '@prisma/adapter-pg';`, `import { PrismaClient } from '@/db/generated/prisma/client${suffixFor(f.path)}';`],
        inline: null,
        callee: 'PrismaClient',
        typeRef: 'PrismaClient',
        adapter: true,
      };
    },
  },
  'workspace-barrel': {
    weight: 8,
    exts: ['ts', 'tsx'],
    where: (path) => !path.startsWith('packages/db/'),
    bind(c) {
      c.reserve('PrismaClient', 'PrismaPg');
      return {
        header: [`import { PrismaPg } from '@prisma/adapter-pg';`, `import { PrismaClient } from '@acme/db';`],
        inline: null,
        callee: 'PrismaClient',
        typeRef: 'PrismaClient',
        adapter: true,
      };
    },
  },
  'workspace-renamed': {
    weight: 5,
    exts: ['ts', 'tsx'],
    where: (path) => !path.startsWith('packages/db/'),
    bind(c) {
      c.reserve('DatabaseClient', 'PrismaPg');
      return {
        header: [`import { PrismaPg } from '@prisma/adapter-pg';`, `import { DatabaseClient } from '@acme/db';`],
        inline: null,
        callee: 'DatabaseClient',
        typeRef: 'DatabaseClient',
        adapter: true,
      };
    },
  },
  subclass: {
    weight: 6,
    exts: ['ts'],
    where: (path) => path.startsWith('apps/api/'),
    bind(c, f) {
      c.reserve('AppDatabase');
      return {
        header: [`import { AppDatabase } from '${rel(f.path, 'apps/api/src/lib/app-database', '.js')}';`],
        inline: null,
        callee: 'AppDatabase',
        typeRef: 'AppDatabase',
        adapter: false,
      };
    },
  },
  'subclass-workspace': {
    weight: 4,
    exts: ['ts', 'tsx'],
    where: (path) => !path.startsWith('packages/db/'),
    bind(c) {
      c.reserve('ExtendedPrismaClient');
      return { header: [`import { ExtendedPrismaClient } from '@acme/db';`], inline: null, callee: 'ExtendedPrismaClient', typeRef: 'ExtendedPrismaClient', adapter: false };
    },
  },
};

const SHAPE_IDS = Object.keys(SHAPES) as ShapeId[];

// ---------------------------------------------------------------------------------------------
// Enclosing contexts of a site
// ---------------------------------------------------------------------------------------------

const MODULE_CONTEXTS: ReadonlySet<ContextId> = new Set(['module-const', 'module-export', 'global-singleton', 'lazy-singleton', 'static-field']);
const ASYNC_CONTEXTS: ReadonlySet<ContextId> = new Set([
  'method', 'function', 'express-handler', 'next-handler', 'server-component', 'timer', 'queue-processor', 'cron', 'event-listener', 'test-hook', 'test-case',
]);

const SITE = (id: number) => `\u0000S${id}\u0000`;
const DECOY = (id: number) => `\u0000D${id}\u0000`;

function ctorArgs(c: FileContext, b: Binding, indent: string): string {
  const { rng } = c;
  if (b.adapter) {
    return rng.pick([
      `{ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL${c.T('!')} }) }`,
      `{\n${indent}  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' }),\n${indent}  log: ['warn', 'error'],\n${indent}}`,
      `{ adapter: new PrismaPg({ connectionString: process.env.${rng.pick(['DATABASE_URL', 'READ_REPLICA_URL', 'ANALYTICS_DATABASE_URL'])} ?? '' }) }`,
    ]);
  }
  return rng.pick([
    '',
    '',
    `{ log: ['query', 'error'] }`,
    `{ datasourceUrl: process.env.${rng.pick(['DATABASE_URL', 'READ_REPLICA_URL', 'REPORTING_DATABASE_URL'])} }`,
    `{\n${indent}  log: process.env.NODE_ENV === 'development' ? ['query', 'warn', 'error'] : ['error'],\n${indent}}`,
    `{\n${indent}  datasources: { db: { url: process.env.DATABASE_URL } },\n${indent}  transactionOptions: { maxWait: ${rng.pick([2_000, 5_000])}, timeout: ${rng.pick([10_000, 30_000, 60_000])} },\n${indent}}`,
  ]);
}

function construct(c: FileContext, b: Binding, mark: string, indent: string): string {
  return `${mark}new ${b.callee}(${ctorArgs(c, b, indent)})`;
}

/** A name for a function-local client variable that is not the constructor's own binding. */
function localVar(c: FileContext, b: Binding): string {
  const root = b.callee.split('.')[0];
  return c.rng.pick(['prisma', 'db', 'client', 'prismaClient', 'database'].filter((n) => n !== root));
}

function inlineLine(b: Binding, indent: string): string {
  return b.inline ? `${indent}${b.inline}\n` : '';
}

type ContextRender = (c: FileContext, b: Binding, mark: string) => string;

const CONTEXTS: Record<ContextId, ContextRender> = {
  'module-const'(c, b, mark) {
    const v = freeName(c, ['prisma', 'db', 'client', 'prismaClient', 'database', 'dbClient']);
    return `${c.exp(v)}const ${v} = ${construct(c, b, mark, '')};\n`;
  },
  'module-export'(c, b, mark) {
    const v = freeName(c, [`${c.d.s}Db`, `${c.d.s}Client`, 'reportingDb', 'replica']);
    const exported = c.cjs ? '' : 'export ';
    if (c.cjs) c.cjsExports.push(v);
    return `/** ${sentence(c.rng, c.d)} */\n${exported}const ${v} = ${construct(c, b, mark, '')};\n`;
  },
  'global-singleton'(c, b, mark) {
    const g = c.uniq('globalForPrisma');
    const v = freeName(c, ['prisma', 'db', 'client']);
    return `const ${g} = globalThis${c.ts ? ` as unknown as { ${v}?: ${b.typeRef ?? 'unknown'} }` : ''};\n\n${c.exp(v)}const ${v} = ${g}.${v} ?? ${construct(c, b, mark, '')};\n\nif (process.env.NODE_ENV !== 'production') ${g}.${v} = ${v};\n`;
  },
  'lazy-singleton'(c, b, mark) {
    const cached = c.uniq('cachedClient');
    const getter = c.uniq(`get${c.d.S}Db`);
    const t = b.typeRef;
    if (c.rng.chance(0.5)) {
      return `let ${cached}${c.ts && t ? `: ${t} | undefined` : ''};\n\n${c.exp(getter)}function ${getter}()${c.ts && t ? `: ${t}` : ''} {\n  if (!${cached}) {\n    ${cached} = ${construct(c, b, mark, '    ')};\n  }\n  return ${cached};\n}\n`;
    }
    return `let ${cached}${c.ts && t ? `: ${t} | undefined` : ''};\n\n${c.exp(getter)}function ${getter}() {\n  ${cached} ??= ${construct(c, b, mark, '  ')};\n  return ${cached};\n}\n`;
  },
  'static-field'(c, b, mark) {
    const cls = c.uniq(`${c.d.S}Store`);
    const m = c.model();
    return `${c.exp(cls)}class ${cls} {\n  static ${c.T('readonly ')}db = ${construct(c, b, mark, '  ')};\n\n  static find(id${c.ann('string')}) {\n    return ${cls}.db.${m.s}.findUnique({ where: { id } });\n  }\n}\n`;
  },
  constructor(c, b, mark) {
    const cls = c.uniq(`${c.d.S}${c.feat()}Gateway`);
    const m = c.model();
    return `${c.exp(cls)}class ${cls} {\n${c.ts ? `  private readonly db${b.typeRef ? `: ${b.typeRef}` : ''};\n\n` : ''}  constructor(${c.T('private readonly ')}tenantId${c.ann('string')}) {\n${c.ts ? '' : '    this.tenantId = tenantId;\n'}    this.db = ${construct(c, b, mark, '    ')};\n  }\n\n  async list(limit = ${c.rng.pick([20, 50])}) {\n    return this.db.${m.s}.findMany({ where: { tenantId: this.tenantId }, take: limit });\n  }\n}\n`;
  },
  'instance-field'(c, b, mark) {
    const cls = c.uniq(`${c.d.S}${c.feat()}Reader`);
    const m = c.model();
    return `${c.exp(cls)}class ${cls} {\n  ${c.T('private readonly ')}db = ${construct(c, b, mark, '  ')};\n\n  async byId(id${c.ann('string')}) {\n    return this.db.${m.s}.findUnique({ where: { id } });\n  }\n}\n`;
  },
  method(c, b, mark) {
    const cls = c.uniq(`${c.d.S}${c.feat()}Exporter`);
    const m = c.model();
    const v = localVar(c, b);
    return `${c.exp(cls)}class ${cls} {\n  async run(tenantId${c.ann('string')}) {\n${inlineLine(b, '    ')}    const ${v} = ${construct(c, b, mark, '    ')};\n    try {\n      const rows = await ${v}.${m.s}.findMany({ where: { tenantId } });\n      return rows.map((row) => JSON.stringify(row)).join('\\n');\n    } finally {\n      await ${v}.$disconnect();\n    }\n  }\n}\n`;
  },
  function(c, b, mark) {
    const fn = c.uniq(`${c.rng.pick(VERBS)}${c.d.P}WithOwnClient`);
    const m = c.model();
    const v = localVar(c, b);
    const disconnect = c.rng.chance(0.5);
    return `${c.exp(fn)}async function ${fn}(tenantId${c.ann('string')}) {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  const rows = await ${v}.${m.s}.findMany({ where: { tenantId }, take: ${c.rng.pick([10, 100, 1000])} });\n${disconnect ? `  await ${v}.$disconnect();\n` : ''}  return rows;\n}\n`;
  },
  'express-handler'(c, b, mark) {
    const m = c.model();
    const v = localVar(c, b);
    const method = c.rng.pick(['get', 'post', 'put', 'delete']);
    return `router.${method}('/${c.d.kp}/:id/${c.rng.pick(['refresh', 'sync', 'export', 'stats', 'history'])}', async (req${c.ann('Request')}, res${c.ann('Response')}) => {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  const row = await ${v}.${m.s}.findUnique({ where: { id: req.params.id } });\n  res.json(row);\n});\n`;
  },
  'next-handler'(c, b, mark) {
    const method = (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).find((x) => !c.usedHttpMethods.has(x) && !c.taken(x));
    const m = c.model();
    const v = localVar(c, b);
    if (method) {
      c.usedHttpMethods.add(method);
      c.reserve(method);
      return `export async function ${method}(request${c.ann('Request')}) {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  const url = new URL(request.url);\n  const items = await ${v}.${m.s}.findMany({ take: Number(url.searchParams.get('take') ?? 20) });\n  return Response.json({ items });\n}\n`;
    }
    const handler = c.uniq(`handle${c.d.S}`);
    return `export const ${handler} = async (request${c.ann('Request')}) => {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  return Response.json(await ${v}.${m.s}.count());\n};\n`;
  },
  'server-component'(c, b, mark) {
    const name = c.uniq(`${c.d.S}${c.feat()}Section`);
    const m = c.model();
    const v = localVar(c, b);
    return `export async function ${name}() {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  const count = await ${v}.${m.s}.count();\n  return <p className="text-sm">{count} ${c.d.p}</p>;\n}\n`;
  },
  timer(c, b, mark) {
    const m = c.model();
    const v = localVar(c, b);
    return `${c.rng.pick(['setInterval', 'setTimeout'])}(async () => {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  await ${v}.${m.s}.deleteMany({ where: { status: '${c.rng.pick(STATUSES)}' } });\n}, ${c.rng.pick([10_000, 60_000, 300_000])});\n`;
  },
  'queue-processor'(c, b, mark) {
    const w = c.uniq(`${c.d.s}${c.feat()}Worker`);
    const m = c.model();
    const v = localVar(c, b);
    return `${c.exp(w)}const ${w} = new Worker(\n  '${c.d.kp}-${c.feature}',\n  async (job${c.ann('Job')}) => {\n${inlineLine(b, '    ')}    const ${v} = ${construct(c, b, mark, '    ')};\n    await ${v}.${m.s}.update({ where: { id: job.data.id }, data: { status: '${c.rng.pick(STATUSES)}' } });\n  },\n  { connection, concurrency: ${c.rng.int(1, 20)} },\n);\n`;
  },
  cron(c, b, mark) {
    const m = c.model();
    const v = localVar(c, b);
    return `cron.schedule('${c.rng.pick(['* * * * *', '*/10 * * * *', '0 4 * * *'])}', async () => {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  const stale = await ${v}.${m.s}.count({ where: { status: '${c.rng.pick(STATUSES)}' } });\n  logger.info({ stale }, '${c.d.k}: cron');\n});\n`;
  },
  'event-listener'(c, b, mark) {
    const m = c.model();
    const v = localVar(c, b);
    return `process.on('${c.rng.pick(['SIGUSR2', 'message', 'beforeExit'])}', async () => {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  await ${v}.${m.s}.count();\n});\n`;
  },
  'test-hook'(c, b, mark) {
    const v = freeName(c, ['db', 'prisma', 'testDb', 'client']);
    const hook = c.path.includes('e2e') ? 'test.beforeAll' : 'beforeAll';
    const after = c.path.includes('e2e') ? 'test.afterAll' : 'afterAll';
    return `let ${v}${c.ts && b.typeRef ? `: ${b.typeRef}` : ''};\n\n${hook}(async () => {\n${inlineLine(b, '  ')}  ${v} = ${construct(c, b, mark, '  ')};\n  await ${v}.$connect();\n});\n\n${after}(async () => {\n  await ${v}?.$disconnect();\n});\n`;
  },
  'test-case'(c, b, mark) {
    const m = c.model();
    const v = localVar(c, b);
    return `it('reads ${m.p} from a real database', async () => {\n${inlineLine(b, '  ')}  const ${v} = ${construct(c, b, mark, '  ')};\n  const rows = await ${v}.${m.s}.findMany({ take: 1 });\n  expect(Array.isArray(rows)).toBe(true);\n});\n`;
  },
};

// ---------------------------------------------------------------------------------------------
// Decoys
// ---------------------------------------------------------------------------------------------

interface DecoyDef {
  /** Share of the decoy budget. */
  weight: number;
  exts: readonly Ext[];
  /** Only in files that hold no site (the decoy binds the name `PrismaClient` itself). */
  noSites?: boolean;
  header?(c: FileContext, f: PlannedFile): string[];
  render(c: FileContext, mark: string, f: PlannedFile): string;
}

const ALL_EXTS: readonly Ext[] = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];

const DECOYS: Partial<Record<DecoyKind, DecoyDef>> = {
  comment: {
    weight: 20,
    exts: ALL_EXTS,
    render: (c, mark) =>
      c.rng.pick([
        `// NOTE: do not call ${mark}new PrismaClient() here: every instance opens its own pool. Use the shared client.\n`,
        `// ${mark}new PrismaClient() per request took prod down on 2023-11-02 (see the incident doc).\n`,
        `// TODO: drop the ${mark}new PrismaClient() fallback once the worker uses the singleton.\n`,
      ]),
  },
  jsdoc: {
    weight: 10,
    exts: ALL_EXTS,
    render(c, mark) {
      const fn = c.uniq(`with${c.d.S}Transaction`);
      return `/**\n * Runs \`work\` inside one transaction of the shared client.\n *\n * @example\n *   // wrong: a pool per call\n *   const db = ${mark}new PrismaClient();\n *   // right\n *   await ${fn}(async (tx) => tx.${c.model().s}.count());\n */\n${c.exp(fn)}async function ${fn}(work${c.ann('(tx: unknown) => Promise<unknown>')}) {\n  return work(undefined);\n}\n`;
    },
  },
  string: {
    weight: 12,
    exts: ALL_EXTS,
    render(c, mark) {
      const name = c.uniq(`warnAdHoc${c.d.S}Client`);
      return c.rng.chance(0.5)
        ? `${c.exp(name)}function ${name}(where${c.ann('string')})${c.ann('void')} {\n  console.warn('${mark}new PrismaClient() called in ' + where + '; reuse the shared client instead');\n}\n`
        : `${c.exp(name)}const ${name} = "Avoid ${mark}new PrismaClient() in request handlers (see docs/database.md)";\n`;
    },
  },
  template: {
    weight: 6,
    exts: ALL_EXTS,
    render(c, mark) {
      const name = c.uniq(`${c.d.s}ClientSnippet`);
      return `${c.exp(name)}const ${name} = \`import { PrismaClient } from '@prisma/client'\nconst prisma = ${mark}new PrismaClient({ datasourceUrl: "\${process.env.DATABASE_URL ?? ''}" })\`;\n`;
    },
  },
  'error-class': {
    weight: 18,
    exts: ALL_EXTS,
    header(c) {
      if (c.taken('PrismaClientKnownRequestError')) return [];
      c.reserve('PrismaClientKnownRequestError', 'PrismaClientValidationError');
      return [importLine(c, '{ PrismaClientKnownRequestError, PrismaClientValidationError }', '@prisma/client/runtime/library')];
    },
    render(c, mark) {
      const fn = c.uniq(`${c.d.s}${c.rng.pick(['Conflict', 'Invalid', 'Missing'])}Error`);
      return c.rng.chance(0.6)
        ? `${c.exp(fn)}function ${fn}(target${c.ann('string')}) {\n  return ${mark}new PrismaClientKnownRequestError(\`Unique constraint failed on \${target}\`, {\n    code: 'P2002',\n    clientVersion: '6.19.0',\n    meta: { target },\n  });\n}\n`
        : `${c.exp(fn)}function ${fn}(message${c.ann('string')}) {\n  return ${mark}new PrismaClientValidationError(message, { clientVersion: '6.19.0' });\n}\n`;
    },
  },
  'error-class-namespace': {
    weight: 7,
    exts: ESM_EXTS,
    header(c) {
      if (c.taken('PrismaErrors')) return [];
      c.reserve('PrismaErrors');
      return [`import { Prisma as PrismaErrors } from '@prisma/client';`];
    },
    render(c, mark) {
      const fn = c.uniq(`${c.d.s}NotFound`);
      return `${c.exp(fn)}function ${fn}(id${c.ann('string')}) {\n  return ${mark}new PrismaErrors.PrismaClientKnownRequestError(\`${c.d.S} \${id} not found\`, { code: 'P2025', clientVersion: '6.19.0' });\n}\n`;
    },
  },
  'type-only': {
    weight: 10,
    exts: TS_EXTS,
    noSites: true,
    header(c) {
      if (c.taken('PrismaClient')) return [];
      c.reserve('PrismaClient');
      return [c.rng.chance(0.5) ? `import type { PrismaClient } from '@prisma/client';` : `import { type PrismaClient } from '@prisma/client';`];
    },
    render(c, mark) {
      const fn = c.uniq(`count${c.d.P}Using`);
      return `${mark}${c.exp(fn)}async function ${fn}(db: PrismaClient, tenantId: string): Promise<number> {\n  return db.${c.model().s}.count({ where: { tenantId } });\n}\n`;
    },
  },
  'local-class-import': {
    weight: 5,
    exts: ['ts', 'tsx'],
    noSites: true,
    header(c, f) {
      if (c.taken('PrismaClient')) return [];
      c.reserve('PrismaClient');
      return [`import { PrismaClient } from '${rel(f.path, LOCAL_CLASS_TS, suffixFor(f.path))}';`];
    },
    render(c, mark) {
      const v = c.uniq(`fake${c.d.S}Db`);
      return `/** In-memory stand-in: no database, no pool. */\nconst ${v} = ${mark}new PrismaClient({ seed: ${c.rng.int(1, 99)} });\n`;
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Planning
// ---------------------------------------------------------------------------------------------

/** File sizes in bytes: many small files, a long tail of big ones, as in real repositories. */
const SIZE_BUCKETS: readonly (readonly [number, number, number])[] = [
  [200, 650, 22],
  [650, 1_500, 26],
  [1_500, 3_000, 24],
  [3_000, 6_000, 17],
  [6_000, 12_000, 8.2],
  [12_000, 30_000, 2.5],
  [30_000, 90_000, 0.3],
];

function drawSize(rng: Rng): number {
  const [lo, hi] = rng.weighted(SIZE_BUCKETS, SIZE_BUCKETS.map((b) => b[2]));
  return rng.int(lo, hi);
}

interface Plan {
  files: PlannedFile[];
  fixed: FixedFile[];
  sites: { id: number; shape: ShapeId; context: ContextId; file: string; callee: string }[];
  decoys: { id: number; kind: DecoyKind; file: string }[];
}

function uniquePath(taken: Set<string>, path: string, n: number): string {
  if (!taken.has(path)) return path;
  const slash = path.lastIndexOf('/');
  for (let k = 2; ; k++) {
    const candidate = `${path.slice(0, slash)}/part-${(n + k) % 97}-${k}${path.slice(slash)}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function isSource(path: string): boolean {
  return /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(path);
}

// ---------------------------------------------------------------------------------------------
// Rendering one planned file
// ---------------------------------------------------------------------------------------------

function renderFile(f: PlannedFile, seed: number, plan: Plan): string {
  const rng = new Rng(hashString(f.path, seed));
  const c = new FileContext(rng, f.path, f.ext, f.d, f.feature);
  if (f.role === 'local-class') {
    return localClassFile(c, f.decoys.map((x) => DECOY(x.id)));
  }
  const role = ROLES[f.role];
  const header = role.header(c, f);
  let binding: Binding | null = null;
  if (f.shape) {
    binding = SHAPES[f.shape].bind(c, f);
    header.push(...binding.header);
  }
  for (const decoy of f.decoys) {
    const def = DECOYS[decoy.kind];
    if (def?.header) header.push(...def.header(c, f));
  }
  if (binding?.callee && f.sites.length > 0) {
    for (const s of f.sites) {
      const rec = plan.sites[s.id];
      if (rec) rec.callee = binding.callee;
    }
  }

  const blocks: string[] = [];
  let size = header.reduce((n, line) => n + line.length + 1, 0);
  if (role.lead) {
    const lead = role.lead(c);
    blocks.push(lead);
    size += lead.length;
  }
  const fixedCount = blocks.length;
  const units = role.units.map((u) => u[0]);
  const weights = role.units.map((u) => u[1]);
  while (size < f.target && units.length > 0) {
    const text = rng.weighted(units, weights)(c);
    blocks.push(text);
    size += text.length + 1;
  }
  const insert = (text: string) => blocks.splice(rng.int(fixedCount, blocks.length), 0, text);
  for (const site of f.sites) {
    if (!binding) throw new Error(`site without binding in ${f.path}`);
    insert(CONTEXTS[site.context](c, binding, SITE(site.id)));
  }
  for (const decoy of f.decoys) {
    const def = DECOYS[decoy.kind];
    if (def) insert(def.render(c, DECOY(decoy.id), f));
  }
  const footer = role.footer ? role.footer(c, f) : c.cjs && c.cjsExports.length > 0 ? `\nmodule.exports = { ${c.cjsExports.join(', ')} };\n` : '';
  return `${arrangeHeader(header)}${blocks.join('\n')}${footer}`;
}

const isDirective = (line: string) => line === `'use client';` || line === `'use strict';`;
const isImport = (line: string) => line.startsWith('import ') || /^const [^=]+= require\(/.test(line);

/** Directive, then every import (once), then module-level statements, as people write them. */
function arrangeHeader(lines: readonly string[]): string {
  const directives = [...new Set(lines.filter(isDirective))];
  const imports = [...new Set(lines.filter(isImport))];
  const rest = lines.filter((line) => !isDirective(line) && !isImport(line));
  while (rest[0] === '') rest.shift();
  const sections = [directives.join('\n'), imports.join('\n'), rest.join('\n').replace(/\n{3,}/g, '\n\n')].filter((s) => s.trim() !== '');
  return sections.length > 0 ? `${sections.join('\n\n')}\n\n` : '';
}

// ---------------------------------------------------------------------------------------------
// Markers → positions, and the integrity check of the manifest
// ---------------------------------------------------------------------------------------------

interface Mark {
  kind: 'S' | 'D';
  id: number;
  line: number;
  column: number;
}

function stripMarkers(text: string): { clean: string; marks: Mark[] } {
  if (!text.includes('\u0000')) return { clean: text, marks: [] };
  const parts = text.split('\u0000');
  const marks: Mark[] = [];
  let clean = '';
  let line = 1;
  let column = 1;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i % 2 === 1) {
      marks.push({ kind: part[0] === 'S' ? 'S' : 'D', id: Number(part.slice(1)), line, column });
      continue;
    }
    clean += part;
    const lastNl = part.lastIndexOf('\n');
    if (lastNl === -1) column += part.length;
    else {
      for (let k = 0; k < part.length; k++) if (part.charCodeAt(k) === 10) line++;
      column = part.length - lastNl;
    }
  }
  return { clean, marks };
}

function positionsOf(text: string, needle: string): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  let from = 0;
  let line = 1;
  let lineStart = 0;
  let scanned = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at === -1) break;
    for (let k = scanned; k < at; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    scanned = at;
    out.push({ line, column: at - lineStart + 1 });
    from = at + needle.length;
  }
  return out;
}

function isHidden(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.'));
}

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

/** Builds the whole corpus in memory. Pure: same options, same result. */
export function buildCorpus(options: CorpusOptions = {}): Corpus {
  const fileCount = Math.max(150, Math.floor(options.files ?? DEFAULT_FILES));
  const siteCount = Math.max(SHAPE_IDS.length, Math.floor(options.sites ?? DEFAULT_SITES));
  const seed = Math.floor(options.seed ?? DEFAULT_SEED) >>> 0;
  const rng = new Rng(hashString('plan', seed));

  const plan: Plan = { files: [], fixed: [], sites: [], decoys: [] };
  const addSite = (file: string, shape: ShapeId, context: ContextId, callee: string): string => {
    const id = plan.sites.length;
    plan.sites.push({ id, shape, context, file, callee });
    return SITE(id);
  };
  const addDecoy = (file: string, kind: DecoyKind): number => {
    const id = plan.decoys.length;
    plan.decoys.push({ id, kind, file });
    return id;
  };

  const fixed = fixedFiles(rng, addSite);
  const docs = markdownFiles(rng, Math.max(2, Math.round(fileCount / 700)));
  plan.fixed = [...fixed, ...docs];
  const taken = new Set(plan.fixed.map((f) => f.path));

  // Decoy budget, proportional to the number of sites.
  const decoyBudget = siteCount;
  const localClassFiles = Math.max(2, Math.round(decoyBudget * 0.03));

  // The manifest is one of the files.
  const fillerCount = Math.max(0, fileCount - plan.fixed.length - localClassFiles - 1);
  const roleIds = (Object.keys(ROLES) as RoleId[]).filter((r) => ROLES[r].weight > 0);
  const roleWeights = roleIds.map((r) => ROLES[r].weight);
  for (let i = 0; i < fillerCount; i++) {
    // Every role at least once, then by weight.
    const role = i < roleIds.length ? (roleIds[i] as RoleId) : rng.weighted(roleIds, roleWeights);
    const d = rng.pick(DOMAINS);
    const feature = rng.pick(FEATURES);
    const placed = ROLES[role].place(rng, d, feature);
    const path = uniquePath(taken, placed.path, i);
    taken.add(path);
    plan.files.push({
      path,
      role,
      ext: placed.ext,
      d,
      feature,
      target: drawSize(rng),
      router: role === 'api-route' || (role === 'legacy-js' && path.includes('/routes/')),
      shape: null,
      sites: [],
      decoys: [],
    });
  }
  for (let i = 0; i < localClassFiles; i++) {
    const d = rng.pick(DOMAINS);
    const js = i % 3 === 2;
    const path = uniquePath(taken, js ? `apps/legacy-admin/src/lib/fake-${d.k}-db.js` : `packages/shared/src/testing/in-memory-${d.k}-client.ts`, i);
    taken.add(path);
    plan.files.push({ path, role: 'local-class', ext: js ? 'js' : 'ts', d, feature: 'index', target: 0, router: false, shape: null, sites: [], decoys: [] });
  }

  // --- true sites ---------------------------------------------------------------------------
  const contextsFor = (f: PlannedFile, shape: ShapeId): ContextId[] =>
    ROLES[f.role].contexts.filter(
      (ctx) => (!SHAPES[shape].async || ASYNC_CONTEXTS.has(ctx)) && (ctx !== 'express-handler' || f.router),
    );
  const candidates = new Map<ShapeId, PlannedFile[]>();
  for (const shape of SHAPE_IDS) {
    const def = SHAPES[shape];
    candidates.set(
      shape,
      plan.files.filter((f) => f.role !== 'local-class' && def.exts.includes(f.ext) && (!def.where || def.where(f.path)) && contextsFor(f, shape).length > 0),
    );
  }
  const hosts = new Map<ShapeId, PlannedFile[]>();
  const shapeWeights = SHAPE_IDS.map((s) => SHAPES[s].weight);
  const randomSites = siteCount - plan.sites.length;
  const firstRound = rng.sample(SHAPE_IDS, SHAPE_IDS.length);
  for (let i = 0; i < randomSites; i++) {
    let shape = i < firstRound.length ? (firstRound[i] as ShapeId) : rng.weighted(SHAPE_IDS, shapeWeights);
    let pool = candidates.get(shape) ?? [];
    if (pool.length === 0) {
      shape = 'named-import';
      pool = candidates.get(shape) ?? [];
    }
    if (pool.length === 0) break;
    let host: PlannedFile | undefined;
    const already = (hosts.get(shape) ?? []).filter((f) => f.sites.length < 3);
    if (already.length > 0 && rng.chance(0.2)) host = rng.pick(already);
    for (let attempt = 0; !host && attempt < 50; attempt++) {
      const f = rng.pick(pool);
      if (f.shape === null) host = f;
    }
    if (!host) host = pool.find((f) => f.shape === null || f.shape === shape);
    if (!host) continue;
    host.shape = shape;
    const list = hosts.get(shape) ?? [];
    if (!list.includes(host)) list.push(host);
    hosts.set(shape, list);
    const context = rng.pick(contextsFor(host, shape));
    const id = plan.sites.length;
    plan.sites.push({ id, shape, context, file: host.path, callee: '' });
    host.sites.push({ id, context });
  }

  // --- decoys -------------------------------------------------------------------------------
  const fillers = plan.files.filter((f) => f.role !== 'local-class');
  const decoyKinds = Object.keys(DECOYS) as DecoyKind[];
  const decoyWeights = decoyKinds.map((k) => DECOYS[k]?.weight ?? 0);
  const inlineBudget = decoyBudget - localClassFiles;
  for (let i = 0; i < inlineBudget; i++) {
    const kind = i < decoyKinds.length ? (decoyKinds[i] as DecoyKind) : rng.weighted(decoyKinds, decoyWeights);
    const def = DECOYS[kind];
    if (!def) continue;
    let host: PlannedFile | undefined;
    for (let attempt = 0; !host && attempt < 200; attempt++) {
      const f = rng.pick(fillers);
      if (!def.exts.includes(f.ext)) continue;
      if (def.noSites && f.sites.length > 0) continue;
      // One binding of the name PrismaClient per file.
      if ((kind === 'type-only' || kind === 'local-class-import') && f.decoys.some((x) => x.kind === 'type-only' || x.kind === 'local-class-import')) continue;
      // Error helpers mostly live in tests.
      if (kind === 'error-class' && !ROLES[f.role].test && rng.chance(0.5)) continue;
      host = f;
    }
    if (!host) continue;
    host.decoys.push({ id: addDecoy(host.path, kind), kind });
  }
  for (const f of plan.files) {
    if (f.role !== 'local-class') continue;
    const n = rng.chance(0.5) ? 2 : 1;
    for (let k = 0; k < n; k++) f.decoys.push({ id: addDecoy(f.path, 'local-class'), kind: 'local-class' });
  }
  // The fixed in-memory fake that local-class-import decoys import.
  const fake = plan.fixed.find((f) => f.path === `${LOCAL_CLASS_TS}.ts`);
  if (fake) {
    const c = new FileContext(new Rng(hashString(fake.path, seed)), fake.path, 'ts', DOMAINS[0] as Domain, 'index');
    const id = addDecoy(fake.path, 'local-class');
    fake.content = localClassFile(c, [DECOY(id)]);
  }

  // --- render ---------------------------------------------------------------------------------
  const raw = new Map<string, string>();
  for (const f of plan.fixed) raw.set(f.path, f.content);
  for (const f of plan.files) raw.set(f.path, renderFile(f, seed, plan));

  const sites: ManifestSite[] = [];
  const decoys: ManifestDecoy[] = [];
  const files = new Map<string, string>();
  const testRoles = new Set(plan.files.filter((f) => ROLES[f.role].test).map((f) => f.path));
  for (const path of [...raw.keys()].sort()) {
    const { clean, marks } = stripMarkers(raw.get(path) ?? '');
    files.set(path, clean);
    for (const mark of marks) {
      const after = lineAt(clean, mark.line).slice(mark.column - 1);
      if (mark.kind === 'S') {
        const rec = plan.sites[mark.id];
        if (!rec) throw new Error(`unknown site marker ${mark.id}`);
        const callee = rec.callee || 'PrismaClient';
        sites.push({
          file: path,
          line: mark.line,
          column: mark.column,
          shape: rec.shape,
          context: rec.context,
          scope: MODULE_CONTEXTS.has(rec.context) ? 'module' : 'function',
          inTest: testRoles.has(path),
          callee,
          grep: after.startsWith(GREP_NEEDLE),
          eslint: callee === 'PrismaClient',
        });
        if (!after.startsWith(`new ${callee}`)) throw new Error(`site marker in ${path}:${mark.line} is not at "new ${callee}"`);
      } else {
        const rec = plan.decoys[mark.id];
        if (!rec) throw new Error(`unknown decoy marker ${mark.id}`);
        decoys.push({
          file: path,
          line: mark.line,
          column: mark.column,
          kind: rec.kind,
          grep: after.startsWith(GREP_NEEDLE),
          eslint: rec.kind === 'local-class' || rec.kind === 'local-class-import',
        });
      }
    }
  }

  // Every occurrence grep will see is either a site or a listed decoy; the rest of the
  // occurrences (markdown, the generated client) are listed here as decoys.
  let grepMatches = 0;
  const known = new Set([...sites, ...decoys].filter((x) => x.grep).map((x) => `${x.file}:${x.line}:${x.column}`));
  for (const [path, text] of files) {
    if (isHidden(path)) continue;
    for (const pos of positionsOf(text, GREP_NEEDLE)) {
      grepMatches++;
      if (known.has(`${path}:${pos.line}:${pos.column}`)) continue;
      const kind: DecoyKind | null = path.endsWith('.md') ? 'markdown' : path.startsWith(`${GENERATED_DIR}/`) ? 'generated' : null;
      if (!kind) throw new Error(`unaccounted "${GREP_NEEDLE}" at ${path}:${pos.line}:${pos.column}`);
      decoys.push({ file: path, line: pos.line, column: pos.column, kind, grep: true, eslint: false });
    }
  }
  const byPos = (a: { file: string; line: number; column: number }, b: { file: string; line: number; column: number }) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
  sites.sort(byPos);
  decoys.sort(byPos);

  const shapes: CorpusManifest['shapes'] = {};
  for (const s of sites) {
    const entry = (shapes[s.shape] ??= { sites: 0, grep: 0, eslint: 0 });
    entry.sites++;
    if (s.grep) entry.grep++;
    if (s.eslint) entry.eslint++;
  }
  const decoyCounts: Record<string, number> = {};
  for (const d of decoys) decoyCounts[d.kind] = (decoyCounts[d.kind] ?? 0) + 1;

  const hash = createHash('sha256');
  for (const [path, text] of files) hash.update(`${path}\u0000${text}\u0000`);
  let bytes = 0;
  let sourceFiles = 0;
  let sourceBytes = 0;
  const byExtension: Record<string, number> = {};
  for (const [path, text] of files) {
    const n = Buffer.byteLength(text);
    bytes += n;
    const ext = path.slice(path.lastIndexOf('.') + 1);
    byExtension[ext] = (byExtension[ext] ?? 0) + 1;
    if (isSource(path)) {
      sourceFiles++;
      sourceBytes += n;
    }
  }

  const manifest: CorpusManifest = {
    generator: { name: 'leakhound-bench-corpus', version: GENERATOR_VERSION },
    params: { files: fileCount, sites: siteCount, seed },
    digest: hash.digest('hex'),
    totals: { files: files.size + 1, bytes, sourceFiles, sourceBytes, byExtension },
    expected: {
      grepMatches,
      eslintReports: sites.filter((s) => s.eslint).length + decoys.filter((d) => d.eslint).length,
      grepFoundSites: sites.filter((s) => s.grep).length,
      eslintFoundSites: sites.filter((s) => s.eslint).length,
    },
    shapes,
    decoyCounts,
    sites,
    decoys,
  };
  return { files, manifest };
}

function lineAt(text: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end);
}

export const MANIFEST_NAME = 'manifest.json';

/**
 * Writes the corpus into `out` (created; an existing corpus there is replaced, any other
 * non-empty directory is refused) and returns its manifest.
 */
export async function generateCorpus(out: string, options: CorpusOptions = {}): Promise<CorpusManifest> {
  return writeCorpus(out, buildCorpus(options));
}

/** Writes a corpus built by `buildCorpus` (same rules as `generateCorpus`). */
export async function writeCorpus(out: string, corpus: Corpus): Promise<CorpusManifest> {
  const root = resolve(out);
  if (existsSync(root)) {
    const entries = readdirSync(root);
    if (entries.length > 0) {
      if (!isCorpus(root)) throw new Error(`refusing to overwrite ${root}: not empty and not a generated corpus`);
      for (const entry of entries) rmSync(join(root, entry), { recursive: true, force: true });
    }
  }
  const { files, manifest } = corpus;
  const dirs = new Set<string>();
  for (const path of files.keys()) dirs.add(dirname(join(root, path)));
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  // Small files on a journaling file system: a few writes in flight halve the wall time.
  const queue = [...files];
  let next = 0;
  const writer = async () => {
    while (next < queue.length) {
      const entry = queue[next++];
      if (entry) await writeFile(join(root, entry[0]), entry[1]);
    }
  };
  await Promise.all(Array.from({ length: 16 }, writer));
  await writeFile(join(root, MANIFEST_NAME), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** True when `dir` holds a corpus written by this generator. */
export function isCorpus(dir: string): boolean {
  return readManifest(dir) !== null;
}

export function readManifest(dir: string): CorpusManifest | null {
  try {
    const value = JSON.parse(readFileSync(join(dir, MANIFEST_NAME), 'utf8')) as Partial<CorpusManifest>;
    return value.generator?.name === 'leakhound-bench-corpus' ? (value as CorpusManifest) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      files: { type: 'string' },
      sites: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.out) {
    process.stdout.write('usage: node dist/bench/generate-corpus.js --out DIR [--files 20000] [--sites 300] [--seed 1]\n');
    process.exit(values.help ? 0 : 2);
  }
  const started = performance.now();
  const manifest = await generateCorpus(values.out, {
    files: values.files ? Number(values.files) : DEFAULT_FILES,
    sites: values.sites ? Number(values.sites) : DEFAULT_SITES,
    seed: values.seed ? Number(values.seed) : DEFAULT_SEED,
  });
  const ms = performance.now() - started;
  const t = manifest.totals;
  process.stdout.write(
    `corpus: ${t.files} files (${t.sourceFiles} source), ${(t.bytes / 1e6).toFixed(1)} MB, ` +
      `${manifest.sites.length} true sites, ${manifest.decoys.length} decoys, ` +
      `grep expects ${manifest.expected.grepMatches} matches, ESLint ${manifest.expected.eslintReports} reports ` +
      `(${(ms / 1000).toFixed(1)} s) -> ${resolve(values.out)}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

