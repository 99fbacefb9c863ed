/**
 * heap-snapshot: snapshots the service writes by itself (on a timer: error; at start-up:
 * warning), `--heapsnapshot-near-heap-limit` in scripts and deploy files, and snapshot files
 * left in the tree. Snapshots taken on demand stay quiet.
 */
import { ruleCases } from '../helpers/rule-cases.js';

const NEAR_LIMIT = /^--heapsnapshot-near-heap-limit(=\d+)? writes heap snapshots as the process nears its limit/;

ruleCases('heap-snapshot', {
  valid: [
    {
      name: 'a snapshot on SIGUSR2',
      files: {
        'src/server.ts': `import express from 'express';
import v8 from 'node:v8';

const app = express();
app.listen(3000);

process.on('SIGUSR2', () => {
  const file = v8.writeHeapSnapshot();
  console.log('heap snapshot written to', file);
});
`,
      },
    },
    {
      name: 'a snapshot from an admin route',
      files: {
        'src/routes/admin.ts': `import { Router } from 'express';
import { writeHeapSnapshot } from 'node:v8';

export const admin = Router();

admin.post('/admin/heap-snapshot', (req, res) => {
  res.json({ file: writeHeapSnapshot() });
});
`,
      },
    },
    {
      name: 'an exported helper that writes one when called',
      files: {
        'src/debug.ts': `import v8 from 'node:v8';

export function dumpHeap(label: string) {
  return v8.writeHeapSnapshot(\`/tmp/\${label}-\${Date.now()}.heapsnapshot\`);
}
`,
      },
    },
    {
      name: 'a local function that happens to be called writeHeapSnapshot',
      files: {
        'src/debug.ts': `function writeHeapSnapshot(label: string) {
  console.log('heap snapshot requested', label);
}

setInterval(() => writeHeapSnapshot('tick'), 60_000);
writeHeapSnapshot('boot');
`,
      },
    },
    {
      name: "a method of the project's own object",
      files: {
        'src/profiler.ts': `export const profiler = {
  writeHeapSnapshot() {
    return 'not a heap snapshot';
  },
};
`,
        'src/index.ts': `import { profiler } from './profiler.js';

setInterval(() => profiler.writeHeapSnapshot(), 60_000);
profiler.writeHeapSnapshot();
`,
      },
    },
    {
      name: '--heapsnapshot-signal takes snapshots on demand',
      files: {
        'package.json': `{
  "name": "api",
  "type": "module",
  "scripts": {
    "start": "node --heapsnapshot-signal=SIGUSR2 dist/server.js"
  }
}
`,
        Procfile: 'web: node --heapsnapshot-signal=SIGUSR2 --max-old-space-size=460 dist/server.js\n',
      },
    },
    {
      name: 'a Dockerfile comment that warns against the flag',
      files: {
        Dockerfile: `FROM node:20-alpine
WORKDIR /app
COPY . .
# Do not add --heapsnapshot-near-heap-limit to NODE_OPTIONS: writing the snapshot OOMs the container.
ENV NODE_OPTIONS="--max-old-space-size=460"
CMD ["node", "dist/server.js"]
`,
      },
    },
    {
      name: 'tests may write snapshots (leak tests do)',
      files: {
        'test/leak.test.ts': `import v8 from 'node:v8';

v8.writeHeapSnapshot();
setInterval(() => v8.writeHeapSnapshot(), 10);
`,
      },
    },
    {
      name: 'snapshot files inside node_modules are not the project’s',
      files: {
        'node_modules/some-lib/package.json': '{ "name": "some-lib" }',
        'node_modules/some-lib/fixtures/leak.heapsnapshot': '{"snapshot":{}}',
      },
    },
  ],
  invalid: [
    {
      name: 'v8.writeHeapSnapshot() every hour in setInterval',
      files: {
        'src/server.ts': `import express from 'express';
import v8 from 'node:v8';

const app = express();
app.listen(3000);

setInterval(() => {
  const file = v8.writeHeapSnapshot();
  console.log('heap snapshot written to', file);
}, 60 * 60 * 1000);
`,
      },
      findings: [
        {
          file: 'src/server.ts',
          line: 8,
          severity: 'error',
          message: /^writeHeapSnapshot\(\) runs on a timer \(setInterval\): every snapshot stops the process/,
        },
      ],
    },
    {
      name: "import { writeHeapSnapshot } from 'node:v8' behind a memory check on a timer",
      files: {
        'src/monitor.ts': `import { writeHeapSnapshot } from 'node:v8';

setInterval(() => {
  if (process.memoryUsage().heapUsed > 1.5e9) {
    writeHeapSnapshot();
  }
}, 30_000).unref();
`,
      },
      findings: [{ file: 'src/monitor.ts', line: 5, severity: 'error', message: /^writeHeapSnapshot\(\) runs on a timer \(setInterval\)/ }],
    },
    {
      name: "require('v8') destructured, in setTimeout",
      files: {
        'src/index.js': `const { writeHeapSnapshot } = require('v8');

setTimeout(() => {
  writeHeapSnapshot();
}, 5 * 60_000);
`,
      },
      findings: [{ file: 'src/index.js', line: 4, severity: 'error', message: /^writeHeapSnapshot\(\) runs on a timer \(setTimeout\)/ }],
    },
    {
      name: 'v8.writeHeapSnapshot() at start-up (CommonJS)',
      files: {
        'src/index.js': `const v8 = require('v8');

v8.writeHeapSnapshot('/tmp/startup.heapsnapshot');
require('./server');
`,
        'src/server.js': 'module.exports = {};\n',
      },
      findings: [
        {
          file: 'src/index.js',
          line: 3,
          severity: 'warning',
          message: /^writeHeapSnapshot\(\) runs at start-up, on every boot of every replica/,
        },
      ],
    },
    {
      name: 'heapdump.writeSnapshot on a timer and at start-up',
      files: {
        'src/index.js': `const heapdump = require('heapdump');

heapdump.writeSnapshot('/tmp/boot.heapsnapshot');

setInterval(() => {
  heapdump.writeSnapshot(\`/tmp/\${Date.now()}.heapsnapshot\`);
}, 10 * 60_000);
`,
      },
      findings: [
        { file: 'src/index.js', line: 3, severity: 'warning', message: /^writeSnapshot\(\) runs at start-up/ },
        { file: 'src/index.js', line: 6, severity: 'error', message: /^writeSnapshot\(\) runs on a timer \(setInterval\)/ },
      ],
    },
    {
      name: 'v8.getHeapSnapshot() streamed from a cron schedule',
      files: {
        'src/jobs/snapshot.ts': `import cron from 'node-cron';
import * as v8 from 'v8';
import { createWriteStream } from 'node:fs';

cron.schedule('0 * * * *', () => {
  v8.getHeapSnapshot().pipe(createWriteStream(\`/tmp/\${Date.now()}.heapsnapshot\`));
});
`,
      },
      findings: [{ file: 'src/jobs/snapshot.ts', line: 6, severity: 'error', message: /^getHeapSnapshot\(\) runs on a timer \(schedule 0 \* \* \* \*\)/ }],
    },
    {
      name: '--heapsnapshot-near-heap-limit in a package.json script',
      files: {
        'package.json': `{
  "name": "api",
  "type": "module",
  "scripts": {
    "build": "tsc",
    "start": "node --heapsnapshot-near-heap-limit=3 --max-old-space-size=1024 dist/server.js"
  }
}
`,
      },
      findings: [{ file: 'package.json', line: 6, severity: 'warning', message: /^--heapsnapshot-near-heap-limit=3 writes heap snapshots/ }],
    },
    {
      name: '--heapsnapshot-near-heap-limit in a Procfile',
      files: {
        Procfile: `release: npx prisma migrate deploy
web: node --heapsnapshot-near-heap-limit=2 dist/server.js
worker: node dist/worker.js
`,
      },
      findings: [{ file: 'Procfile', line: 2, message: /^--heapsnapshot-near-heap-limit=2 writes heap snapshots.*OOM kill/ }],
    },
    {
      name: 'NODE_OPTIONS in a Dockerfile',
      files: {
        Dockerfile: `FROM node:20-alpine
WORKDIR /app
COPY . .
RUN npm ci && npm run build
# node options for the container (a comment is not a command line)
ENV NODE_OPTIONS="--max-old-space-size=460 --heapsnapshot-near-heap-limit"
CMD ["node", "dist/server.js"]
`,
      },
      findings: [{ file: 'Dockerfile', line: 6, message: NEAR_LIMIT }],
    },
    {
      name: 'a heap snapshot file in the tree, with its size',
      files: {
        'src/index.ts': 'export {};\n',
        'Heap-20240101T120000.heapsnapshot': 'x'.repeat(3 * 1024 * 1024),
      },
      findings: [
        {
          file: 'Heap-20240101T120000.heapsnapshot',
          line: 1,
          severity: 'warning',
          message: /^Heap snapshot file of 3 MB in the project: delete it and add \*\.heapsnapshot to \.gitignore\.$/,
        },
      ],
    },
    {
      name: 'several snapshot files: each one, with the total',
      files: {
        'Heap-1.heapsnapshot': 'x'.repeat(2048),
        'debug/Heap-2.heapsnapshot': 'x'.repeat(5 * 1024),
      },
      findings: [
        { file: 'Heap-1.heapsnapshot', line: 1, message: /^Heap snapshot file of 2 KB in the project \(2 files, 7 KB in all\)/ },
        { file: 'debug/Heap-2.heapsnapshot', line: 1, message: /^Heap snapshot file of 5 KB in the project \(2 files, 7 KB in all\)/ },
      ],
    },
  ],
});
