/**
 * Filler code for the corpus: realistic blocks of TypeScript / JavaScript / JSX (imports,
 * classes, generics, async/await, routes, components, tests). Every block is syntactically
 * valid for its file kind; none constructs a database client. Blocks are built from the
 * file's own random stream, so the same file always gets the same bytes.
 */
import {
  COMPONENT_SUFFIXES,
  FEATURES,
  FIELDS,
  LABELS,
  MODELS,
  STATUSES,
  VERBS,
  sentence,
  thirdPerson,
  type Domain,
  type Rng,
} from './corpus-words.js';

export type Ext = 'ts' | 'tsx' | 'mts' | 'cts' | 'js' | 'jsx' | 'mjs' | 'cjs';

/** Everything a block needs to know about the file it goes into. */
export class FileContext {
  readonly ts: boolean;
  readonly jsx: boolean;
  /** CommonJS syntax: `require` / `module.exports` instead of `import` / `export`. */
  readonly cjs: boolean;
  private readonly names = new Set<string>();
  readonly cjsExports: string[] = [];
  /** The file declares `router` (express). */
  hasRouter = false;
  readonly usedHttpMethods = new Set<string>();

  constructor(
    readonly rng: Rng,
    readonly path: string,
    readonly ext: Ext,
    readonly d: Domain,
    readonly feature: string,
  ) {
    this.ts = ext === 'ts' || ext === 'tsx' || ext === 'mts' || ext === 'cts';
    this.jsx = ext === 'tsx' || ext === 'jsx';
    this.cjs = ext === 'cjs' || ext === 'js';
  }

  /** Registers a module-level name; returns it, or a numbered variant when it is taken. */
  uniq(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}${n}`;
    this.names.add(name);
    return name;
  }

  reserve(...names: string[]): void {
    for (const name of names) this.names.add(name);
  }

  taken(name: string): boolean {
    return this.names.has(name);
  }

  /** `export ` for an ES module (usually), nothing for CommonJS (the name is exported at the end). */
  exp(name: string): string {
    if (this.cjs) {
      if (this.rng.chance(0.7)) this.cjsExports.push(name);
      return '';
    }
    return this.rng.chance(0.85) ? 'export ' : '';
  }

  /** `: type` in TypeScript, nothing in JavaScript. */
  ann(type: string): string {
    return this.ts ? `: ${type}` : '';
  }

  /** The text in TypeScript, nothing in JavaScript. */
  T(text: string): string {
    return this.ts ? text : '';
  }

  model(): Domain {
    return this.rng.pick(MODELS);
  }

  feat(): string {
    return pascal(this.feature.replace(/[^a-z0-9]/gi, '')) || 'Main';
  }
}

export function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function camelFeature(feature: string): string {
  return feature.replace(/[^a-z0-9]/gi, '');
}

export type Unit = (c: FileContext) => string;

// ---------------------------------------------------------------------------------------------
// Types and plain helpers
// ---------------------------------------------------------------------------------------------

export const typesUnit: Unit = (c) => {
  if (!c.ts) return helpersUnit(c);
  const { rng, d } = c;
  const name = c.uniq(`${d.S}${rng.pick(['Dto', 'Record', 'Summary', 'Payload', 'View', 'Input', 'Filters', 'Row', 'Snapshot'])}`);
  const fields = rng.sample(FIELDS, rng.int(3, 10));
  const body = fields.map((f) => `  ${rng.chance(0.15) ? 'readonly ' : ''}${f.name}${rng.chance(0.2) ? '?' : ''}: ${f.type};`);
  let out = `/** ${sentence(rng, d)} */\n${c.exp(name)}interface ${name} {\n  id: string;\n${body.join('\n')}\n}\n`;
  if (rng.chance(0.55)) {
    const status = c.uniq(`${d.S}${rng.pick(['Status', 'Kind', 'SortKey', 'Visibility', 'State'])}`);
    out += `\n${c.exp(status)}type ${status} = ${rng.sample(STATUSES, rng.int(2, 5)).map((s) => `'${s}'`).join(' | ')};\n`;
  }
  if (rng.chance(0.35)) {
    const page = c.uniq(`Paginated${d.P}`);
    out += `\n${c.exp(page)}type ${page}<T extends { id: string } = ${name}> = {\n  items: readonly T[];\n  nextCursor: string | null;\n  total?: number;\n};\n`;
  }
  if (rng.chance(0.3)) {
    const patch = c.uniq(`${d.S}Patch`);
    out += `\n${c.exp(patch)}type ${patch} = Partial<Omit<${name}, 'id'${fields[0] ? ` | '${fields[0].name}'` : ''}>> & { id: string };\n`;
  }
  return out;
};

export const helpersUnit: Unit = (c) => {
  const { rng, d } = c;
  const f = rng.pick(FIELDS);
  const fn1 = c.uniq(`normalize${d.S}${pascal(f.name)}`);
  const fn2 = c.uniq(`is${d.S}${pascal(rng.pick(STATUSES))}`);
  const fn3 = c.uniq(`group${d.P}By${pascal(rng.pick(['status', 'owner', 'day', 'tenant', 'priority']))}`);
  const T = c.T.bind(c);
  return `${c.exp(fn1)}function ${fn1}(value${T(': unknown')})${T(': string')} {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  return String(value);
}

${c.exp(fn2)}function ${fn2}(row${T(': { status?: string; archived?: boolean }')})${T(': boolean')} {
  return row.status === '${rng.pick(STATUSES)}' && !row.archived;
}

${c.exp(fn3)}function ${fn3}${T('<T extends { id: string; status?: string }>')}(rows${T(': readonly T[]')})${T(': Map<string, T[]>')} {
  const groups = new Map${T('<string, T[]>')}();
  for (const row of rows) {
    const key = row.status ?? 'unknown';
    const bucket = groups.get(key);
    if (bucket) bucket.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
`;
};

export const constMapUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`${d.S.toUpperCase()}_${rng.pick(['LABELS', 'DEFAULTS', 'LIMITS', 'COLUMNS', 'STATUS_COLORS'])}`);
  const entries = rng.sample(STATUSES, rng.int(3, 7)).map((s) => `  ${s}: '${rng.pick(LABELS).replace(/'/g, "\\'")}',`);
  let out = `${c.exp(name)}const ${name} = {\n${entries.join('\n')}\n}${c.T(' as const')};\n`;
  if (c.ts && rng.chance(0.5)) {
    const key = c.uniq(`${d.S}${pascal(rng.pick(['LabelKey', 'DefaultKey', 'LimitKey']))}`);
    out += `\n${c.exp(key)}type ${key} = keyof typeof ${name};\n`;
  }
  const list = c.uniq(`${d.s}${pascal(rng.pick(['Columns', 'Options', 'Choices']))}`);
  out += `\n${c.exp(list)}const ${list} = Object.entries(${name}).map(([value, label]) => ({ value, label }));\n`;
  return out;
};

export const reducerUnit: Unit = (c) => {
  const { d } = c;
  const state = c.ts ? c.uniq(`${d.S}State`) : '';
  const action = c.ts ? c.uniq(`${d.S}Action`) : '';
  const fn = c.uniq(`${d.s}Reducer`);
  const T = c.T.bind(c);
  let out = '';
  if (c.ts) {
    out += `${c.exp(state)}interface ${state} {\n  items: Array<{ id: string; name: string; status: string }>;\n  selected: string | null;\n  loading: boolean;\n  error?: string;\n}\n\n`;
    out += `${c.exp(action)}type ${action} =\n  | { type: 'loaded'; items: ${state}['items'] }\n  | { type: 'select'; id: string | null }\n  | { type: 'failed'; error: string }\n  | { type: 'reset' };\n\n`;
  }
  out += `${c.exp(fn)}function ${fn}(state${T(`: ${state}`)}, action${T(`: ${action}`)})${T(`: ${state}`)} {
  switch (action.type) {
    case 'loaded':
      return { ...state, items: action.items, loading: false, error: undefined };
    case 'select':
      return { ...state, selected: action.id };
    case 'failed':
      return { ...state, loading: false, error: action.error };
    case 'reset':
      return { items: [], selected: null, loading: false };
    default:
      return state;
  }
}
`;
  return out;
};

export const errorClassUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`${d.S}${rng.pick(['NotFound', 'Conflict', 'Validation', 'Quota', 'Permission'])}Error`);
  const code = rng.pick(['NOT_FOUND', 'CONFLICT', 'INVALID', 'QUOTA_EXCEEDED', 'FORBIDDEN']);
  return `${c.exp(name)}class ${name} extends Error {
  ${c.T('readonly ')}code = '${code}'${c.T(' as const')};
  ${c.T('readonly ')}status = ${rng.pick([400, 403, 404, 409, 422, 429])};

  constructor(${c.T('readonly ')}${c.ts ? '' : ''}id${c.ann('string')}, cause${c.ann('unknown')} = undefined) {
    super(\`${d.S} \${id}: ${code.toLowerCase().replace('_', ' ')}\`, { cause });
    this.name = '${name}';${c.ts ? '' : '\n    this.id = id;'}
  }
}
`;
};

export const cacheClassUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`${d.S}${rng.pick(['Cache', 'Memo', 'Store', 'Registry'])}`);
  const ttl = rng.pick([1_000, 5_000, 30_000, 60_000, 300_000]);
  const T = c.T.bind(c);
  return `/**
 * ${sentence(rng, d)}
 */
${c.exp(name)}class ${name}${T('<V = unknown>')} {
  ${T('private readonly ')}entries = new Map${T('<string, { value: V; expiresAt: number }>')}();
  ${T('private ')}hits = 0;
  ${T('private ')}misses = 0;

  constructor(${T('private readonly ')}ttlMs${T(': number')} = ${ttl}, ${T('private readonly ')}maxEntries${T(': number')} = ${rng.pick([100, 500, 1000, 5000])}) {${c.ts ? '' : `\n    this.ttlMs = ttlMs;\n    this.maxEntries = maxEntries;`}}

  get(key${T(': string')})${T(': V | undefined')} {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt < Date.now()) {
      this.misses++;
      if (entry) this.entries.delete(key);
      return undefined;
    }
    this.hits++;
    return entry.value;
  }

  set(key${T(': string')}, value${T(': V')})${T(': void')} {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
  }

  async getOrLoad(key${T(': string')}, load${T(': () => Promise<V>')})${T(': Promise<V>')} {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    const value = await load();
    this.set(key, value);
    return value;
  }

  get stats()${T(': { hits: number; misses: number; size: number }')} {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }
}
`;
};

export const retryUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`retry${d.S}${pascal(rng.pick(['Call', 'Sync', 'Request', 'Write']))}`);
  const sleep = c.uniq('sleep');
  const T = c.T.bind(c);
  return `const ${sleep} = (ms${T(': number')}) => new Promise${T('<void>')}((resolve) => setTimeout(resolve, ms));

${c.exp(name)}async function ${name}${T('<T>')}(fn${T(': (attempt: number) => Promise<T>')}, attempts = ${rng.int(2, 6)}, baseMs = ${rng.pick([50, 100, 250, 500])})${T(': Promise<T>')} {
  let lastError${T(': unknown')};
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      lastError = error;
      const jitter = Math.floor(Math.random() * baseMs);
      await ${sleep}(baseMs * 2 ** (attempt - 1) + jitter);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
`;
};

// ---------------------------------------------------------------------------------------------
// Data access through the shared client (`prisma` / `db` imported from the app's lib)
// ---------------------------------------------------------------------------------------------

export const serviceFnUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const client = c.taken('db') && !c.taken('prisma') ? 'db' : 'prisma';
  const T = c.T.bind(c);
  const variant = rng.int(0, 4);
  const verb = rng.pick(VERBS);
  const fn = c.uniq(`${verb}${d.P}${variant === 0 ? '' : pascal(camelFeature(rng.pick(FEATURES)))}`);
  const f = rng.pick(FIELDS);
  const doc = `/**\n * ${sentence(rng, d)}\n */\n`;
  switch (variant) {
    case 0:
      return `${doc}${c.exp(fn)}async function ${fn}(tenantId${T(': string')}, options${T(': { limit?: number; cursor?: string; includeArchived?: boolean }')} = {}) {
  const { limit = ${rng.pick([20, 50, 100, 250])}, cursor, includeArchived = false } = options;
  const startedAt = Date.now();
  const rows = await ${client}.${m.s}.findMany({
    where: { tenantId, ...(includeArchived ? {} : { status: { not: '${rng.pick(STATUSES)}' } }) },
    orderBy: { createdAt: 'desc' },
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
  });
  logger.debug({ tenantId, count: rows.length, ms: Date.now() - startedAt }, '${fn}');
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) => ({ ...row, ${f.name}: row.${f.name} ?? ${f.sample} })),
    nextCursor: rows.length > limit ? page[page.length - 1]?.id ?? null : null,
  };
}
`;
    case 1:
      return `${doc}${c.exp(fn)}async function ${fn}(id${T(': string')}, patch${T(': Record<string, unknown>')}, actorId${T(': string')}) {
  return ${client}.$transaction(async (tx) => {
    const current = await tx.${m.s}.findUniqueOrThrow({ where: { id } });
    if (current.version !== patch.version) {
      throw new Error(\`${d.S} \${id} changed meanwhile (version \${current.version})\`);
    }
    const updated = await tx.${m.s}.update({
      where: { id },
      data: { ...patch, version: { increment: 1 }, updatedAt: new Date() },
    });
    await tx.auditLog.create({
      data: { actorId, action: '${d.k}.${verb}', entityId: id, diff: JSON.stringify(patch) },
    });
    return updated;
  });
}
`;
    case 2:
      return `${doc}${c.exp(fn)}async function ${fn}(tenantId${T(': string')}, since${T(': Date')}) {
  const [total, byStatus] = await Promise.all([
    ${client}.${m.s}.count({ where: { tenantId, createdAt: { gte: since } } }),
    ${client}.${m.s}.groupBy({
      by: ['status'],
      where: { tenantId, createdAt: { gte: since } },
      _count: { _all: true },
    }),
  ]);
  const counts${T(': Record<string, number>')} = {};
  for (const group of byStatus) counts[group.status] = group._count._all;
  return { total, counts, since: since.toISOString() };
}
`;
    case 3:
      return `${doc}${c.exp(fn)}async function ${fn}(tenantId${T(': string')}, limit = ${rng.pick([10, 25, 100])}) {
  const rows = await ${client}.$queryRaw${T('<Array<{ id: string; score: number }>>')}\`
    SELECT id, ${rng.pick(['score', 'priority', 'total', 'position'])} AS score
    FROM "${m.S}"
    WHERE "tenantId" = \${tenantId} AND "${rng.pick(['archived', 'deleted'])}" = false
    ORDER BY score DESC
    LIMIT \${limit}
  \`;
  return rows.map((row) => ({ ...row, score: Number(row.score) }));
}
`;
    default:
      return `${doc}${c.exp(fn)}async function ${fn}(input${T(`: { tenantId: string; ${f.name}: ${f.type}; externalId?: string }`)}) {
  const existing = input.externalId
    ? await ${client}.${m.s}.findFirst({ where: { tenantId: input.tenantId, externalId: input.externalId } })
    : null;
  if (existing) {
    return ${client}.${m.s}.update({ where: { id: existing.id }, data: { ${f.name}: input.${f.name} } });
  }
  return ${client}.${m.s}.create({ data: { ...input, status: '${rng.pick(STATUSES)}' } });
}
`;
  }
};

export const serviceClassUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const name = c.uniq(`${d.S}${c.feat()}Service`);
  const T = c.T.bind(c);
  const client = c.taken('db') && !c.taken('prisma') ? 'db' : 'prisma';
  const cache = rng.pick([true, false]);
  return `${c.exp(name)}class ${name} {
  ${cache ? `${T('private readonly ')}cache = new Map${T('<string, unknown>')}();\n  ` : ''}${T('private ')}lastSyncAt${T(': Date | null')} = null;

  constructor(${T('private readonly ')}db${T(`: typeof ${client}`)} = ${client}, ${T('private readonly ')}log${T(': typeof logger')} = logger) {${c.ts ? '' : '\n    this.db = db;\n    this.log = log;'}}

  async findById(id${T(': string')}) {
    ${cache ? `if (this.cache.has(id)) return this.cache.get(id);\n    ` : ''}const row = await this.db.${m.s}.findUnique({ where: { id } });
    ${cache ? 'if (row) this.cache.set(id, row);\n    ' : ''}return row;
  }

  async list(tenantId${T(': string')}, page = 1, pageSize = ${rng.pick([20, 25, 50])}) {
    const [items, total] = await Promise.all([
      this.db.${m.s}.findMany({ where: { tenantId }, skip: (page - 1) * pageSize, take: pageSize }),
      this.db.${m.s}.count({ where: { tenantId } }),
    ]);
    return { items, total, page, pages: Math.ceil(total / pageSize) };
  }

  async ${rng.pick(VERBS)}All(ids${T(': readonly string[]')})${T(': Promise<number>')} {
    if (ids.length === 0) return 0;
    const result = await this.db.${m.s}.updateMany({
      where: { id: { in: [...ids] } },
      data: { status: '${rng.pick(STATUSES)}', updatedAt: new Date() },
    });
    this.lastSyncAt = new Date();
    this.log.info({ count: result.count }, '${d.k}: bulk update');
    return result.count;
  }
}
`;
};

export const repoClassUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const name = c.uniq(`${d.S}${c.feat()}Repository`);
  const T = c.T.bind(c);
  return `${c.exp(name)}class ${name} {
  constructor(${T('private readonly ')}db${T(': typeof prisma')} = prisma) {${c.ts ? '' : '\n    this.db = db;'}}

  find(id${T(': string')}) {
    return this.db.${m.s}.findUnique({ where: { id }, include: { ${rng.pick(['owner', 'tenant', 'items', 'comments'])}: ${rng.pick(['true', '{ take: 5 }'])} } });
  }

  async page(where${T(': Record<string, unknown>')}, cursor${T('?: string')}, take = ${rng.pick([25, 50, 100])}) {
    const rows = await this.db.${m.s}.findMany({
      where,
      take: take + 1,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return { rows: rows.slice(0, take), hasMore: rows.length > take };
  }

  softDelete(id${T(': string')}) {
    return this.db.${m.s}.update({ where: { id }, data: { archived: true, updatedAt: new Date() } });
  }
}
`;
};

// ---------------------------------------------------------------------------------------------
// HTTP: express routes, controllers, middleware, Next.js route handlers
// ---------------------------------------------------------------------------------------------

export const routesUnit: Unit = (c) => {
  if (!c.hasRouter) return serviceFnUnit(c);
  const { rng, d } = c;
  const m = c.model();
  const T = c.T.bind(c);
  const seg = `/${d.kp}${rng.chance(0.4) ? `/${c.feature}` : ''}`;
  const schema = c.uniq(`${d.s}${pascal(rng.pick(['Create', 'Update', 'Query', 'Import']))}Body`);
  const useZod = rng.chance(0.6);
  let out = '';
  if (useZod) {
    out += `const ${schema} = z.object({\n  name: z.string().min(1).max(${rng.pick([80, 120, 200])}),\n  status: z.enum([${rng.sample(STATUSES, 3).map((s) => `'${s}'`).join(', ')}]).default('${rng.pick(STATUSES)}'),\n  ${rng.pick(FIELDS).name}: z.${rng.pick(['string()', 'number().int()', 'boolean()'])}.optional(),\n});\n\n`;
  }
  out += `router.get('${seg}', requireAuth, async (req${T(': Request')}, res${T(': Response')}, next${T(': NextFunction')}) => {
  try {
    const limit = Math.min(Number(req.query.limit ?? ${rng.pick([20, 50])}), 200);
    const rows = await prisma.${m.s}.findMany({ where: { tenantId: req.user?.tenantId }, take: limit });
    res.json({ items: rows, limit });
  } catch (error) {
    next(error);
  }
});

router.${rng.pick(['post', 'put', 'patch'])}('${seg}/:id', requireAuth, async (req${T(': Request')}, res${T(': Response')}) => {
  ${useZod ? `const parsed = ${schema}.safeParse(req.body);\n  if (!parsed.success) {\n    res.status(400).json({ error: parsed.error.flatten() });\n    return;\n  }\n  const body = parsed.data;` : `const body = req.body${T(' as Record<string, unknown>')};`}
  const updated = await prisma.${m.s}.update({ where: { id: req.params.id }, data: body });
  logger.info({ id: updated.id, user: req.user?.id }, '${d.k} updated');
  res.status(200).json(updated);
});
`;
  if (rng.chance(0.5)) {
    out += `
router.delete('${seg}/:id', requireAuth, async (req${T(': Request')}, res${T(': Response')}) => {
  await prisma.${m.s}.delete({ where: { id: req.params.id } });
  res.status(204).end();
});
`;
  }
  return out;
};

export const controllerUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`${d.S}${c.feat()}Controller`);
  const svc = `${d.S}Service`;
  const T = c.T.bind(c);
  return `${c.exp(name)}class ${name} {
  constructor(${T('private readonly ')}service${T(`: ${svc}`)} = new ${svc}()) {${c.ts ? '' : '\n    this.service = service;'}}

  index = async (req${T(': Request')}, res${T(': Response')}) => {
    const page = Number(req.query.page ?? 1);
    const result = await this.service.list(String(req.user?.tenantId ?? ''), page);
    res.json(result);
  };

  show = async (req${T(': Request')}, res${T(': Response')}, next${T(': NextFunction')}) => {
    try {
      const item = await this.service.findById(req.params.id${T('!')});
      if (!item) {
        res.status(404).json({ error: '${d.S} not found' });
        return;
      }
      res.json(item);
    } catch (error) {
      next(error);
    }
  };

  ${rng.pick(ACTIONS)} = async (req${T(': Request')}, res${T(': Response')}) => {
    const ids = Array.isArray(req.body?.ids) ? req.body.ids.map(String) : [];
    const count = await this.service.${rng.pick(VERBS)}All(ids);
    res.status(202).json({ accepted: count });
  };
}
`;
};

export const middlewareUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`${rng.pick(['require', 'load', 'check', 'limit'])}${d.S}${c.feat()}`);
  const T = c.T.bind(c);
  return `${c.exp(name)}function ${name}(options${T(': { header?: string; optional?: boolean }')} = {}) {
  const header = options.header ?? 'x-${d.k}-id';
  return async (req${T(': Request')}, res${T(': Response')}, next${T(': NextFunction')}) => {
    const id = req.header(header);
    if (!id) {
      if (options.optional) return next();
      res.status(400).json({ error: \`missing \${header}\` });
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug({ id, ms, status: res.statusCode }, '${name}');
    });
    next();
  };
}
`;
};

const ACTIONS = ['bulkUpdate', 'archiveMany', 'syncAll', 'exportAll', 'reindex', 'approveMany'] as const;

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const nextRouteUnit: Unit = (c) => {
  const method = HTTP_METHODS.find((m) => !c.usedHttpMethods.has(m) && !c.taken(m));
  if (!method) return helpersUnit(c);
  c.usedHttpMethods.add(method);
  c.reserve(method);
  const { rng } = c;
  const m = c.model();
  const T = c.T.bind(c);
  if (method === 'GET') {
    return `${c.cjs ? '' : 'export '}async function GET(request${T(': NextRequest')}) {
  const { searchParams } = new URL(request.url);
  const take = Math.min(Number(searchParams.get('limit') ?? ${rng.pick([20, 50])}), 100);
  const cursor = searchParams.get('cursor') ?? undefined;
  const items = await db.${m.s}.findMany({
    take,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    orderBy: { createdAt: 'desc' },
  });
  return NextResponse.json({ items, nextCursor: items.at(-1)?.id ?? null });
}
`;
  }
  if (method === 'DELETE') {
    return `${c.cjs ? '' : 'export '}async function DELETE(_request${T(': NextRequest')}, { params }${T(': { params: Promise<{ id: string }> }')}) {
  const { id } = await params;
  await db.${m.s}.delete({ where: { id } });
  return new NextResponse(null, { status: 204 });
}
`;
  }
  return `${c.cjs ? '' : 'export '}async function ${method}(request${T(': NextRequest')}) {
  let body${T(': unknown')};
  try {
    body = await request.json();
  } catch {
    return NextResponse.json({ error: 'invalid JSON' }, { status: 400 });
  }
  const data = typeof body === 'object' && body !== null ? body : {};
  const saved = await db.${m.s}.${method === 'POST' ? 'create' : 'upsert'}(${method === 'POST' ? '{ data }' : `{ where: { id: String((data${T(' as { id?: string }')}).id ?? '') }, create: data, update: data }`});
  return NextResponse.json(saved, { status: ${method === 'POST' ? 201 : 200} });
}
`;
};

export const zodUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`${d.s}${pascal(rng.pick(['Create', 'Update', 'Filter', 'Import', 'Export']))}Schema`);
  const fields = rng.sample(FIELDS, rng.int(3, 8)).map((f) => {
    const base = f.type.startsWith('number')
      ? `z.number()${rng.chance(0.5) ? '.int()' : ''}.min(0)`
      : f.type.startsWith('boolean')
        ? 'z.boolean()'
        : f.type.startsWith('Date')
          ? 'z.coerce.date()'
          : f.type.endsWith('[]')
            ? 'z.array(z.string().min(1)).max(20)'
            : f.type.startsWith('Record')
              ? 'z.record(z.string(), z.unknown())'
              : `z.string().${rng.pick(['min(1)', 'max(255)', 'trim()', 'email()', 'url()'])}`;
    return `  ${f.name}: ${base}${f.type.includes('null') ? '.nullable()' : ''}${rng.chance(0.3) ? '.optional()' : ''},`;
  });
  let out = `${c.exp(name)}const ${name} = z.object({\n  id: z.string().cuid().optional(),\n${fields.join('\n')}\n});\n`;
  if (c.ts) {
    const type = c.uniq(pascal(name.replace(/Schema$/, 'Input')));
    out += `\n${c.exp(type)}type ${type} = z.infer<typeof ${name}>;\n`;
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// React
// ---------------------------------------------------------------------------------------------

export const componentUnit: Unit = (c) => {
  if (!c.jsx) return helpersUnit(c);
  const { rng, d } = c;
  const name = c.uniq(`${d.S}${rng.pick(COMPONENT_SUFFIXES)}`);
  const props = c.ts ? c.uniq(`${name}Props`) : '';
  const T = c.T.bind(c);
  const [l1, l2, l3, l4] = [rng.pick(LABELS), rng.pick(LABELS), rng.pick(LABELS), rng.pick(LABELS)];
  const ms = rng.pick([1500, 3000, 5000]);
  let out = '';
  if (c.ts) {
    out += `${c.exp(props)}interface ${props} {\n  title: string;\n  items: ReadonlyArray<{ id: string; name: string; status?: string }>;\n  onSelect?: (id: string) => void;\n  compact?: boolean;\n}\n\n`;
  }
  out += `${c.exp(name)}function ${name}({ title, items, onSelect, compact = false }${T(`: ${props}`)}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const visible = useMemo(
    () => items.filter((item) => item.name.toLowerCase().includes(query.trim().toLowerCase())),
    [items, query],
  );

  useEffect(() => {
    if (!open) return undefined;
    const timer = setTimeout(() => setOpen(false), ${ms});
    return () => clearTimeout(timer);
  }, [open]);

  return (
    <section className={compact ? '${d.k}-${name.length} compact' : '${d.k}-${name.length}'}>
      <header className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{title}</h2>
        <button type="button" onClick={() => setOpen((value) => !value)} aria-expanded={open}>
          {open ? '${l1.replace(/'/g, '')}' : '${l2.replace(/'/g, '')}'}
        </button>
      </header>
      <input
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="${l3.replace(/"/g, '')}"
      />
      {visible.length === 0 ? (
        <p className="text-muted">${l4.replace(/[{}<>]/g, '')}</p>
      ) : (
        <ul role="list">
          {visible.map((item) => (
            <li key={item.id} data-status={item.status ?? 'unknown'}>
              <span>{item.name}</span>
              {onSelect ? (
                <button type="button" onClick={() => onSelect(item.id)}>
                  Select
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
`;
  return out;
};

export const hookUnit: Unit = (c) => {
  const { rng, d } = c;
  const name = c.uniq(`use${d.P}${c.feat()}`);
  const T = c.T.bind(c);
  return `${c.exp(name)}function ${name}(tenantId${T(': string')}, pollMs = ${rng.pick([0, 5000, 15000, 60000])}) {
  const [data, setData] = useState${T(`<Array<{ id: string; name: string }> | null>`)}(null);
  const [error, setError] = useState${T('<Error | null>')}(null);
  const controller = useRef${T('<AbortController | null>')}(null);

  const load = useCallback(async () => {
    controller.current?.abort();
    const next = new AbortController();
    controller.current = next;
    try {
      const response = await fetch(\`/api/${d.kp}?tenant=\${encodeURIComponent(tenantId)}\`, { signal: next.signal });
      if (!response.ok) throw new Error(\`HTTP \${response.status}\`);
      const body = await response.json();
      setData(body.items);
    } catch (caught) {
      if ((caught${T(' as Error')}).name !== 'AbortError') setError(caught${T(' as Error')});
    }
  }, [tenantId]);

  useEffect(() => {
    void load();
    if (!pollMs) return () => controller.current?.abort();
    const id = setInterval(() => void load(), pollMs);
    return () => {
      clearInterval(id);
      controller.current?.abort();
    };
  }, [load, pollMs]);

  return { data, error, reload: load, loading: data === null && error === null };
}
`;
};

export const pageUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const T = c.T.bind(c);
  const name = c.uniq(`${d.S}${c.feat()}Page`);
  return `export default async function ${name}({ params }${T(': { params: Promise<{ id?: string }> }')}) {
  const { id } = await params;
  const items = await db.${m.s}.findMany({ where: id ? { id } : {}, take: ${rng.pick([12, 24, 48])} });
  if (id && items.length === 0) notFound();
  return (
    <main className="mx-auto max-w-5xl p-6">
      <h1 className="text-2xl font-bold">${rng.pick(LABELS).replace(/[{}<>]/g, '')}</h1>
      <${d.S}List title="${d.P}" items={items.map((item) => ({ id: item.id, name: String(item.id) }))} />
    </main>
  );
}
`;
};

export const layoutUnit: Unit = (c) => {
  const { d } = c;
  const name = c.uniq(`${d.S}Layout`);
  return `export default function ${name}({ children }${c.T(': { children: ReactNode }')}) {
  return (
    <div className="grid grid-cols-[240px_1fr] gap-6">
      <nav aria-label="${d.P}">
        <a href="/${d.kp}">All ${d.p}</a>
        <a href="/${d.kp}/new">New ${d.s}</a>
      </nav>
      <div>{children}</div>
    </div>
  );
}
`;
};

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

export const processorUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const T = c.T.bind(c);
  const fn = c.uniq(`process${d.S}${c.feat()}`);
  let out = `${c.exp(fn)}async function ${fn}(job${T(': Job<{ id: string; tenantId: string; attempt?: number }>')})${T(': Promise<void>')} {
  const { id, tenantId } = job.data;
  await job.updateProgress(5);
  const row = await prisma.${m.s}.findUnique({ where: { id } });
  if (!row) {
    logger.warn({ id, tenantId }, '${d.k}: gone before processing');
    return;
  }
  const chunks = [];
  for (let offset = 0; offset < ${rng.pick([100, 500, 1000])}; offset += ${rng.pick([50, 100])}) {
    chunks.push(offset);
  }
  for (const [index, offset] of chunks.entries()) {
    await prisma.${m.s}.updateMany({ where: { tenantId, position: { gte: offset } }, data: { updatedAt: new Date() } });
    await job.updateProgress(Math.round(((index + 1) / chunks.length) * 100));
  }
}
`;
  if (!c.taken(`${d.s}Worker`) && rng.chance(0.7)) {
    const worker = c.uniq(`${d.s}Worker`);
    out += `\n${c.exp(worker)}const ${worker} = new Worker('${d.kp}-${c.feature}', ${fn}, { connection, concurrency: ${rng.int(1, 16)} });\n\n${worker}.on('failed', (job, error) => {\n  logger.error({ job: job?.id, error }, '${d.k} job failed');\n});\n`;
  }
  return out;
};

export const cronUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const expr = rng.pick(['*/5 * * * *', '0 * * * *', '0 3 * * *', '30 2 * * 1', '*/15 * * * *']);
  return `cron.schedule('${expr}', async () => {
  const cutoff = new Date(Date.now() - ${rng.pick([1, 7, 30, 90])} * 24 * 60 * 60 * 1000);
  const { count } = await prisma.${m.s}.deleteMany({ where: { status: '${rng.pick(STATUSES)}', updatedAt: { lt: cutoff } } });
  logger.info({ count, cutoff }, '${d.k}: ${c.feature} cleanup');
});
`;
};

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

export const testUnit: Unit = (c) => {
  const { rng, d } = c;
  const fn = `${rng.pick(VERBS)}${d.P}`;
  const f = rng.pick(FIELDS);
  const T = c.T.bind(c);
  return `describe('${fn}', () => {
  const fixture = { id: '${d.k}_1', tenantId: 'tnt_1', ${f.name}: ${f.sample} };

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}T10:00:00Z'));
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('${sentence(rng, d).replace(/'/g, '').replace(/\.$/, '').toLowerCase()}', async () => {
    const findMany = vi.fn().mockResolvedValue([fixture, { ...fixture, id: '${d.k}_2' }]);
    const db = { ${d.s}: { findMany } }${T(' as never')};
    const rows = await findMany({ where: { tenantId: 'tnt_1' } });
    expect(rows).toHaveLength(2);
    expect(findMany).toHaveBeenCalledWith(expect.objectContaining({ where: { tenantId: 'tnt_1' } }));
    expect(db).toBeDefined();
  });

  it.each([
    ['${rng.pick(STATUSES)}', true],
    ['${rng.pick(STATUSES)}', false],
    ['', false],
  ])('handles status %s', (status, expected) => {
    expect(typeof status === 'string' && status.length > 0 && expected !== undefined).toBe(status.length > 0);
  });
});
`;
};

export const e2eUnit: Unit = (c) => {
  const { rng, d } = c;
  const label = rng.pick(LABELS).replace(/'/g, '');
  return `test.describe('${d.P} ${c.feature}', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/${d.kp}${rng.chance(0.5) ? '/new' : ''}');
  });

  test('${thirdPerson(rng.pick(VERBS))} a ${d.s}', async ({ page }) => {
    await page.getByLabel('Name').fill('${label} ${rng.int(1, 999)}');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('status')).toContainText('${label}');
  });

  test('shows an empty state', async ({ page }) => {
    await page.getByPlaceholder('Search').fill('zz-${rng.int(1000, 9999)}');
    await expect(page.getByText('No results')).toBeVisible();
  });
});
`;
};

// ---------------------------------------------------------------------------------------------
// Scripts
// ---------------------------------------------------------------------------------------------

export const scriptMainUnit: Unit = (c) => {
  const { rng, d } = c;
  const m = c.model();
  const main = c.uniq('main');
  const T = c.T.bind(c);
  return `async function ${main}()${T(': Promise<void>')} {
  const dryRun = process.argv.includes('--dry-run');
  const batchSize = Number(process.env.BATCH_SIZE ?? ${rng.pick([100, 500, 1000])});
  let processed = 0;
  for (let page = 0; ; page++) {
    const rows = await db.${m.s}.findMany({ skip: page * batchSize, take: batchSize, orderBy: { id: 'asc' } });
    if (rows.length === 0) break;
    if (!dryRun) {
      await db.${m.s}.updateMany({ where: { id: { in: rows.map((row) => row.id) } }, data: { status: '${rng.pick(STATUSES)}' } });
    }
    processed += rows.length;
    console.log(\`${d.p}: \${processed} processed\${dryRun ? ' (dry run)' : ''}\`);
  }
}

${main}()
  .then(() => process.exit(0))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
`;
};
