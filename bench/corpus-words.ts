/**
 * Word lists and the seeded random source the corpus generator draws from. Kept apart from
 * the templates so that the templates read like the code they produce.
 */

/** A small, fast, well-mixed 32-bit PRNG (mulberry32). Same seed, same stream, on any Node. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight; `weights` and `items` are parallel. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let roll = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      roll -= weights[i] ?? 0;
      if (roll < 0) return items[i] as T;
    }
    return items[items.length - 1] as T;
  }

  /** `count` distinct items, in the order drawn. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      const index = Math.floor(this.next() * pool.length);
      out.push(pool[index] as T);
      pool.splice(index, 1);
    }
    return out;
  }
}

/** FNV-1a, to derive one file's seed from the corpus seed and the file's path. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface Domain {
  /** camelCase singular: `orderItem` */
  s: string;
  /** PascalCase singular: `OrderItem` */
  S: string;
  /** camelCase plural: `orderItems` */
  p: string;
  /** PascalCase plural: `OrderItems` */
  P: string;
  /** kebab-case singular: `order-item` */
  k: string;
  /** kebab-case plural: `order-items` */
  kp: string;
}

const DOMAIN_NAMES = [
  'user', 'account', 'organization', 'team', 'member', 'invitation', 'role', 'permission',
  'session', 'apiKey', 'project', 'task', 'comment', 'attachment', 'tag', 'label', 'milestone',
  'sprint', 'board', 'order', 'orderItem', 'product', 'variant', 'price', 'inventory',
  'warehouse', 'shipment', 'carrier', 'invoice', 'payment', 'refund', 'subscription', 'plan',
  'coupon', 'discount', 'cart', 'checkout', 'customer', 'address', 'review', 'rating',
  'wishlist', 'notification', 'email', 'message', 'thread', 'channel', 'webhook',
  'integration', 'event', 'metric', 'report', 'dashboard', 'widget', 'alert', 'incident',
  'deployment', 'release', 'environment', 'feature', 'flag', 'experiment', 'auditLog',
  'export', 'import', 'file', 'upload', 'document', 'folder', 'template', 'workflow',
  'trigger', 'schedule', 'booking', 'reservation', 'calendar', 'course', 'lesson',
  'enrollment', 'quiz', 'article', 'post', 'page', 'media', 'asset', 'campaign', 'segment',
  'lead', 'contact', 'ticket', 'survey', 'ledger', 'transaction', 'tax', 'currency', 'region',
  'locale', 'setting', 'preference', 'device',
] as const;

function pluralOf(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(word)) return `${word}es`;
  if (word === 'media' || word.endsWith('Media')) return word;
  return `${word}s`;
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function kebab(word: string): string {
  return word.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export const DOMAINS: readonly Domain[] = DOMAIN_NAMES.map((s) => {
  const p = pluralOf(s);
  return { s, S: pascal(s), p, P: pascal(p), k: kebab(s), kp: kebab(p) };
});

/** The domains that are Prisma models in the corpus's schema (and in its generated client). */
export const MODELS: readonly Domain[] = DOMAINS.filter((d) =>
  [
    'user', 'account', 'organization', 'team', 'member', 'project', 'task', 'comment', 'order',
    'orderItem', 'product', 'invoice', 'payment', 'subscription', 'customer', 'notification',
    'webhook', 'event', 'auditLog', 'document',
  ].includes(d.s),
);

export const FEATURES = [
  'index', 'admin', 'public', 'search', 'bulk', 'export', 'import', 'history', 'stats',
  'webhooks', 'settings', 'members', 'invites', 'attachments', 'comments', 'audit', 'sync',
  'v2', 'legacy', 'internal', 'billing', 'reports', 'notifications', 'permissions', 'archive',
  'drafts', 'templates', 'analytics', 'feed', 'timeline', 'queue', 'retry', 'cleanup',
  'digest', 'reminders', 'metrics', 'health', 'batch', 'preview', 'share',
] as const;

export const VERBS = [
  'get', 'list', 'create', 'update', 'delete', 'archive', 'restore', 'sync', 'export',
  'import', 'validate', 'normalize', 'compute', 'resolve', 'publish', 'schedule', 'cancel',
  'retry', 'refresh', 'reconcile', 'notify', 'merge', 'duplicate', 'assign', 'approve',
] as const;

export const COMPONENT_SUFFIXES = [
  'Card', 'List', 'Table', 'Row', 'Form', 'Dialog', 'Drawer', 'Header', 'Footer', 'Badge',
  'Avatar', 'Picker', 'Filters', 'Toolbar', 'EmptyState', 'Skeleton', 'Details', 'Summary',
  'Timeline', 'Chart', 'Menu', 'Tabs', 'Panel', 'Banner', 'Preview', 'Editor', 'Uploader',
  'Search', 'Pagination', 'Stats', 'Settings', 'Overview', 'Sidebar', 'Breadcrumbs', 'Tooltip',
] as const;

export const PAGE_SEGMENTS = [
  '', '[id]', 'new', '[id]/edit', 'settings', '[id]/history', 'archive', 'search', 'import',
  'export', '[id]/members', '[id]/billing', 'reports', '[id]/activity', 'drafts', 'trash',
  '[id]/settings', 'analytics', 'templates', 'bulk', '[id]/comments', 'calendar', 'review',
  'pending', 'shared', '[id]/preview', 'favorites', 'recent', 'overview', 'all',
] as const;

export const ROUTE_GROUPS = ['(dashboard)', '(marketing)', '(settings)', '(admin)', '(app)'] as const;

export const FIELDS: readonly { name: string; type: string; sample: string }[] = [
  { name: 'name', type: 'string', sample: "'Untitled'" },
  { name: 'email', type: 'string', sample: "'ops@example.test'" },
  { name: 'status', type: 'string', sample: "'active'" },
  { name: 'createdAt', type: 'Date', sample: 'new Date(0)' },
  { name: 'updatedAt', type: 'Date', sample: 'new Date(0)' },
  { name: 'ownerId', type: 'string', sample: "'usr_1'" },
  { name: 'amount', type: 'number', sample: '1200' },
  { name: 'currency', type: 'string', sample: "'EUR'" },
  { name: 'title', type: 'string', sample: "'Quarterly review'" },
  { name: 'description', type: 'string | null', sample: 'null' },
  { name: 'slug', type: 'string', sample: "'quarterly-review'" },
  { name: 'priority', type: 'number', sample: '3' },
  { name: 'dueAt', type: 'Date | null', sample: 'null' },
  { name: 'archived', type: 'boolean', sample: 'false' },
  { name: 'tags', type: 'string[]', sample: "['urgent']" },
  { name: 'metadata', type: 'Record<string, unknown>', sample: '{}' },
  { name: 'version', type: 'number', sample: '1' },
  { name: 'tenantId', type: 'string', sample: "'tnt_1'" },
  { name: 'externalId', type: 'string | null', sample: 'null' },
  { name: 'score', type: 'number', sample: '0.5' },
  { name: 'total', type: 'number', sample: '42' },
  { name: 'note', type: 'string | undefined', sample: 'undefined' },
  { name: 'url', type: 'string', sample: "'https://example.test/a'" },
  { name: 'position', type: 'number', sample: '0' },
  { name: 'locale', type: 'string', sample: "'en-GB'" },
];

export const STATUSES = [
  'active', 'pending', 'archived', 'failed', 'draft', 'scheduled', 'completed', 'cancelled',
  'paused', 'processing', 'expired', 'blocked',
] as const;

/** Some UI strings with non-ASCII letters, as real products have. Never on a site's line. */
export const LABELS = [
  'Save changes', 'Delete', 'Are you sure?', 'No results', 'Try again', 'Loading\u2026',
  'Caf\u00e9 menu', 'R\u00e9sum\u00e9', '\u00bfSeguro?', 'Gr\u00f6\u00dfe', 'Na\u00efve mode', '\u2713 Done',
  'Archive', 'Restore', 'Export CSV', 'Import', 'Invite people', 'Settings', 'Billing',
  '\u65e5\u672c\u8a9e', 'Se\u00f1or', 'Ol\u00e1', 'Stra\u00dfe', 'Back', 'Next', 'Continue', '\ud83d\ude80 Launch',
] as const;

const SUBJECTS = [
  'the current tenant', 'the signed-in user', 'the nightly batch', 'the billing cycle',
  'the search index', 'the audit trail', 'the webhook retry queue', 'the export job',
  'an organization', 'the admin dashboard', 'the public API', 'the mobile client',
] as const;

const ADVERBS = ['first', 'lazily', 'once', 'in batches', 'idempotently', 'best-effort', 'eagerly'] as const;

/** `sync` → `syncs`, `refresh` → `refreshes`, `notify` → `notifies`. */
export function thirdPerson(verb: string): string {
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(verb)) return `${verb}es`;
  return `${verb}s`;
}

export function sentence(rng: Rng, d: Domain): string {
  const forms = [
    () => `${pascal(thirdPerson(rng.pick(VERBS)))} ${d.p} for ${rng.pick(SUBJECTS)}.`,
    () => `Keeps ${d.p} in sync with ${rng.pick(SUBJECTS)}, ${rng.pick(ADVERBS)}.`,
    () => `Returns the ${d.s} or null when it was deleted meanwhile.`,
    () => `Loads ${d.p} ${rng.pick(ADVERBS)}; callers must not mutate the result.`,
    () => `Used by ${rng.pick(SUBJECTS)}: keep the shape stable.`,
    () => `Maps a raw ${d.s} row to what ${rng.pick(SUBJECTS)} expects.`,
    () => `TODO(${rng.pick(['ana', 'bo', 'chen', 'dev', 'eli', 'femi'])}): paginate once ${d.p} exceed a few thousand.`,
  ];
  return rng.pick(forms)();
}
