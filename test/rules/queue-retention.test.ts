/**
 * queue-retention: Bull/BullMQ queues that keep every finished job in Redis. Quiet when
 * defaultJobOptions bounds both, when every `.add()` bounds both, or when a Worker of the same
 * queue does; the fix adds `defaultJobOptions` and must leave code that parses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSync } from 'oxc-parser';
import { findingsOf, ruleCases } from '../helpers/rule-cases.js';
import type { TextEdit } from '../../src/types.js';

const REDIS_CONNECTION = `import IORedis from 'ioredis';

export const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
`;

/** BullMQ's own example, as most projects start from it. */
const BULLMQ_MAIL_QUEUE = `import { Queue } from 'bullmq';
import { connection } from '../redis.js';

export const mailQueue = new Queue('mail', { connection });

export async function sendWelcome(to: string) {
  await mailQueue.add('welcome', { to });
}
`;

const KEEPS_BOTH = /^Queue 'mail' keeps every completed and failed job in Redis \(no removeOnComplete \/ removeOnFail in defaultJobOptions\): Redis memory grows with every job\. Bound it, e\.g\. \{ removeOnComplete: 1000, removeOnFail: 5000 \}\.$/;

ruleCases('queue-retention', {
  valid: [
    {
      name: 'BullMQ: defaultJobOptions bounds both (a count and an age)',
      files: {
        'src/redis.ts': REDIS_CONNECTION,
        'src/queues/mail.ts': `import { Queue } from 'bullmq';
import { connection } from '../redis.js';

export const mailQueue = new Queue('mail', {
  connection,
  defaultJobOptions: {
    attempts: 3,
    removeOnComplete: 1000,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
});
`,
      },
    },
    {
      name: 'Bull: removeOnComplete: true and removeOnFail: true',
      files: {
        'src/queues/mail.js': `const Queue = require('bull');

const mailQueue = new Queue('mail', process.env.REDIS_URL, {
  defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
});

module.exports = mailQueue;
`,
      },
    },
    {
      name: 'options in a const of the same file',
      files: {
        'src/queues/mail.ts': `import { Queue } from 'bullmq';

const queueOptions = {
  connection: { host: 'redis', port: 6379 },
  defaultJobOptions: { removeOnComplete: 100, removeOnFail: 500 },
};

export const mailQueue = new Queue('mail', queueOptions);
`,
      },
    },
    {
      name: 'every add() in the project passes both bounds',
      files: {
        'src/queues/mail.ts': `import { Queue } from 'bullmq';

export const mailQueue = new Queue('mail', { connection: { host: 'redis' } });

export async function sendReceipt(to: string) {
  await mailQueue.add('receipt', { to }, { removeOnComplete: true, removeOnFail: 1000 });
}
`,
        'src/routes/signup.ts': `import { Router } from 'express';
import { mailQueue } from '../queues/mail.js';

export const signup = Router();

signup.post('/signup', async (req, res) => {
  await mailQueue.add('welcome', { to: req.body.email }, { removeOnComplete: 100, removeOnFail: { age: 86400 } });
  res.status(201).end();
});
`,
      },
    },
    {
      name: 'Bull: add(data, opts) with both bounds next to the processor',
      files: {
        'src/queues/mail.js': `const Queue = require('bull');

const mailQueue = new Queue('mail', { redis: { host: 'redis' } });

mailQueue.process(async (job) => job.data);

module.exports.enqueue = (to) => mailQueue.add({ to }, { removeOnComplete: true, removeOnFail: true });
`,
      },
    },
    {
      name: 'a BullMQ Worker for the same queue sets removeOnComplete / removeOnFail',
      files: {
        'src/redis.ts': REDIS_CONNECTION,
        'src/queues/mail.ts': BULLMQ_MAIL_QUEUE,
        'src/workers/mail.worker.ts': `import { Worker } from 'bullmq';
import { connection } from '../redis.js';

export const mailWorker = new Worker(
  'mail',
  async (job) => {
    console.log('sending', job.data.to);
  },
  { connection, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } },
);
`,
      },
    },
    {
      name: 'options imported from another module (cannot be read here)',
      files: {
        'src/queues/options.ts': `export const queueOptions = {
  connection: { host: 'redis' },
  defaultJobOptions: { removeOnComplete: 100, removeOnFail: 500 },
};
`,
        'src/queues/mail.ts': `import { Queue } from 'bullmq';
import { queueOptions } from './options.js';

export const mailQueue = new Queue('mail', queueOptions);
`,
      },
    },
    {
      name: 'options spread from a shared object (cannot be read here)',
      files: {
        'src/queues/options.ts': `export const sharedQueueOptions = {
  connection: { host: 'redis' },
  defaultJobOptions: { removeOnComplete: 100, removeOnFail: 500 },
};
`,
        'src/queues/mail.ts': `import { Queue } from 'bullmq';
import { sharedQueueOptions } from './options.js';

export const mailQueue = new Queue('mail', { ...sharedQueueOptions, prefix: 'app' });
`,
      },
    },
    {
      name: 'queues built in tests',
      files: {
        'test/queues.test.ts': `import { Queue } from 'bullmq';

const queue = new Queue('mail', { connection: { host: 'localhost' } });
`,
      },
    },
    {
      name: 'a Worker and a FlowProducer on their own are not queues that keep jobs',
      files: {
        'src/workers/mail.worker.ts': `import { FlowProducer, Worker } from 'bullmq';

export const flows = new FlowProducer({ connection: { host: 'redis' } });
export const worker = new Worker('mail', async (job) => job.data, { connection: { host: 'redis' } });
`,
      },
    },
  ],
  invalid: [
    {
      name: "BullMQ: new Queue('mail', { connection }) without defaultJobOptions",
      files: { 'src/redis.ts': REDIS_CONNECTION, 'src/queues/mail.ts': BULLMQ_MAIL_QUEUE },
      findings: [{ file: 'src/queues/mail.ts', line: 4, severity: 'warning', message: KEEPS_BOTH }],
    },
    {
      name: "Bull: new Queue('mail', redisUrl)",
      files: {
        'src/queues/mail.js': `const Queue = require('bull');

const mailQueue = new Queue('mail', process.env.REDIS_URL);

mailQueue.process(async (job) => {
  console.log('sending', job.data.to);
});

module.exports = mailQueue;
`,
      },
      findings: [{ file: 'src/queues/mail.js', line: 3, message: KEEPS_BOTH }],
    },
    {
      name: "Bull called without new: Queue('mail', 'redis://…')",
      files: {
        'src/queues/mail.js': `const Queue = require('bull');

module.exports = Queue('mail', 'redis://127.0.0.1:6379');
`,
      },
      findings: [{ file: 'src/queues/mail.js', line: 3, message: KEEPS_BOTH }],
    },
    {
      name: 'only removeOnComplete set: failed jobs are kept',
      files: {
        'src/queues/mail.js': `const Queue = require('bull');

const mailQueue = new Queue('mail', process.env.REDIS_URL, {
  defaultJobOptions: { attempts: 5, removeOnComplete: true },
});

module.exports = mailQueue;
`,
      },
      findings: [
        {
          file: 'src/queues/mail.js',
          line: 3,
          message: /^Queue 'mail' keeps every failed job in Redis \(no removeOnFail in defaultJobOptions\)/,
        },
      ],
    },
    {
      name: 'removeOnComplete: false / removeOnFail: false bound nothing',
      files: {
        'src/queues/mail.ts': `import { Queue } from 'bullmq';

export const mailQueue = new Queue('mail', {
  connection: { host: 'redis' },
  defaultJobOptions: { removeOnComplete: false, removeOnFail: false },
});
`,
      },
      findings: [{ file: 'src/queues/mail.ts', line: 3, message: KEEPS_BOTH }],
    },
    {
      name: 'one add() without bounds is enough to keep jobs',
      files: {
        'src/queues/mail.ts': `import { Queue } from 'bullmq';

export const mailQueue = new Queue('mail', { connection: { host: 'redis' } });

export async function sendReceipt(to: string) {
  await mailQueue.add('receipt', { to }, { removeOnComplete: true, removeOnFail: 1000 });
}

export async function sendNewsletter(to: string) {
  await mailQueue.add('newsletter', { to });
}
`,
      },
      findings: [{ file: 'src/queues/mail.ts', line: 3, message: KEEPS_BOTH }],
    },
    {
      name: 'a Worker bounding another queue does not bound this one',
      files: {
        'src/queues/mail.ts': `import { Queue } from 'bullmq';

export const mailQueue = new Queue('mail', { connection: { host: 'redis' } });
`,
        'src/workers/sms.worker.ts': `import { Worker } from 'bullmq';

export const smsWorker = new Worker('sms', async (job) => job.data, {
  connection: { host: 'redis' },
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 500 },
});
`,
      },
      findings: [{ file: 'src/queues/mail.ts', line: 3, message: KEEPS_BOTH }],
    },
    {
      name: 'two queues in one file: two findings, each named',
      files: {
        'src/queues/index.ts': `import { Queue } from 'bullmq';

const connection = { host: 'redis' };

export const mailQueue = new Queue('mail', { connection });
export const billingQueue = new Queue('billing', { connection, defaultJobOptions: { removeOnComplete: 10, removeOnFail: 10 } });
export const exportQueue = new Queue('exports', { connection });
`,
      },
      findings: [
        { file: 'src/queues/index.ts', line: 5, message: KEEPS_BOTH },
        { file: 'src/queues/index.ts', line: 7, message: /^Queue 'exports' keeps every completed and failed job/ },
      ],
    },
  ],
});

/** Applies edits the way `leakhound fix` does: from the end of the file backwards. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

function assertParses(file: string, text: string): void {
  const { errors } = parseSync(file, text);
  assert.deepEqual(
    errors.map((error) => error.message),
    [],
    `the fixed code must parse:\n${text}`,
  );
}

const FIX_CASES: { name: string; file: string; source: string; fixed: string }[] = [
  {
    name: 'adds defaultJobOptions to the options object',
    file: 'src/queues/mail.ts',
    source: BULLMQ_MAIL_QUEUE,
    fixed: BULLMQ_MAIL_QUEUE.replace(
      "new Queue('mail', { connection })",
      "new Queue('mail', { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 }, connection })",
    ),
  },
  {
    name: 'a multi-line options object keeps its other keys',
    file: 'src/queues/mail.ts',
    source: `import { Queue } from 'bullmq';

export const mailQueue = new Queue('mail', {
  connection: { host: 'redis', port: 6379 },
  prefix: 'app',
});
`,
    fixed: `import { Queue } from 'bullmq';

export const mailQueue = new Queue('mail', { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 },
  connection: { host: 'redis', port: 6379 },
  prefix: 'app',
});
`,
  },
  {
    name: 'an empty options object',
    file: 'src/queues/mail.ts',
    source: `import { Queue } from 'bullmq';\n\nexport const mailQueue = new Queue('mail', {});\n`,
    fixed: `import { Queue } from 'bullmq';\n\nexport const mailQueue = new Queue('mail', { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 } });\n`,
  },
  {
    name: "BullMQ new Queue('mail') gets an options argument",
    file: 'src/queues/mail.ts',
    source: `import { Queue } from 'bullmq';\n\nexport const mailQueue = new Queue('mail');\n`,
    fixed: `import { Queue } from 'bullmq';\n\nexport const mailQueue = new Queue('mail', { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 } });\n`,
  },
  {
    name: "a trailing comma after the name (Prettier's multi-line arguments) is not doubled",
    file: 'src/queues/digest.ts',
    source: `import { Queue } from 'bullmq';

export const digestQueue = new Queue(
  'notifications-email-digest-weekly-for-enterprise-customers',
);
`,
    fixed: `import { Queue } from 'bullmq';

export const digestQueue = new Queue(
  'notifications-email-digest-weekly-for-enterprise-customers',
 { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 } });
`,
  },
  {
    name: 'Bull (name, url, opts): the fix goes into the options object',
    file: 'src/queues/mail.js',
    source: `const Queue = require('bull');\n\nmodule.exports = new Queue('mail', process.env.REDIS_URL, { limiter: { max: 10, duration: 1000 } });\n`,
    fixed: `const Queue = require('bull');\n\nmodule.exports = new Queue('mail', process.env.REDIS_URL, { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 }, limiter: { max: 10, duration: 1000 } });\n`,
  },
  {
    name: 'offsets count UTF-16 code units (non-ASCII text before the queue)',
    file: 'src/queues/mail.ts',
    source: `// Warteschlange für E-Mails 📬 — 送信\nimport { Queue } from 'bullmq';\n\nexport const mailQueue = new Queue('mail', { connection: { host: 'redis' } });\n`,
    fixed: `// Warteschlange für E-Mails 📬 — 送信\nimport { Queue } from 'bullmq';\n\nexport const mailQueue = new Queue('mail', { defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 5000 }, connection: { host: 'redis' } });\n`,
  },
];

for (const fixCase of FIX_CASES) {
  test(`queue-retention fix: ${fixCase.name}`, async () => {
    const findings = await findingsOf('queue-retention', { name: fixCase.name, files: { [fixCase.file]: fixCase.source } });
    assert.equal(findings.length, 1, findings.map((f) => f.message).join('\n'));
    const fix = findings[0]!.fix;
    assert.ok(fix && fix.length > 0, 'the finding carries a fix');
    const fixed = applyEdits(fixCase.source, fix);
    assert.equal(fixed, fixCase.fixed);
    assertParses(fixCase.file, fixed);
    // The fixed project is quiet.
    assert.deepEqual(await findingsOf('queue-retention', { name: fixCase.name, files: { [fixCase.file]: fixed } }), []);
  });
}

test('queue-retention fix: none where adding one would guess', async () => {
  const cases: Record<string, string> = {
    // Bull's second argument is a Redis URL: an options object would have to be a third one.
    'bull (name, url)': `const Queue = require('bull');\n\nmodule.exports = new Queue('mail', process.env.REDIS_URL);\n`,
    // defaultJobOptions exists: the user's own object is not rewritten.
    'partial defaultJobOptions': `import { Queue } from 'bullmq';\n\nexport const q = new Queue('mail', { defaultJobOptions: { attempts: 3 } });\n`,
  };
  for (const [name, source] of Object.entries(cases)) {
    const file = source.includes('require(') ? 'src/queues/mail.js' : 'src/queues/mail.ts';
    const findings = await findingsOf('queue-retention', { name, files: { [file]: source } });
    assert.equal(findings.length, 1, `${name}: one finding`);
    assert.equal(findings[0]!.fix, undefined, `${name}: no fix`);
  }
});
