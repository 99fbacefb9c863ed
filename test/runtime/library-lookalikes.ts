/**
 * Look-alikes of ioredis, knex, mongoose, mongodb and node-redis for the tracking tests when
 * the real packages are not installed. What matters to the tracker is how each package
 * EXPORTS its clients, so that is copied exactly from the published builds (ioredis 5/6 and
 * mongodb 6/7: tsc's `Object.defineProperty(exports, …, { get })` re-exports on a class or
 * object; knex 3: a factory function as module.exports, re-exported by knex.js with
 * `.knex`/`.default`; mongoose 8/9: an instance whose prototype has `createConnection`, which
 * index.js copies onto the instance; node-redis 4/5: `redis`'s factory calling
 * `@redis/client`'s). The clients themselves only keep the state their close methods change.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FILES: Record<string, string> = {
  'ioredis/package.json': '{ "name": "ioredis", "main": "./built/index.js" }',
  'ioredis/built/Redis.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
class Redis {
  constructor(options) { this.options = options || {}; this.status = this.options.lazyConnect ? "wait" : "connecting"; }
  quit() { this.status = "end"; return Promise.resolve("OK"); }
  disconnect() { this.status = "end"; }
  duplicate() { return new Redis(this.options); }
}
exports.default = Redis;
`,
  'ioredis/built/cluster/index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
class Cluster { constructor(nodes, options) { this.status = "wait"; } quit() { this.status = "end"; return Promise.resolve("OK"); } disconnect() { this.status = "end"; } duplicate() {} }
exports.default = Cluster;
`,
  'ioredis/built/index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Cluster = exports.Redis = exports.default = void 0;
exports = module.exports = require("./Redis").default;
var Redis_1 = require("./Redis");
Object.defineProperty(exports, "default", { enumerable: true, get: function () { return Redis_1.default; } });
var Redis_2 = require("./Redis");
Object.defineProperty(exports, "Redis", { enumerable: true, get: function () { return Redis_2.default; } });
var cluster_1 = require("./cluster");
Object.defineProperty(exports, "Cluster", { enumerable: true, get: function () { return cluster_1.default; } });
`,
  'knex/package.json': '{ "name": "knex", "main": "knex.js" }',
  'knex/knex.js': `const knex = require('./lib/index');
knex.knex = knex;
knex.default = knex;
module.exports = knex;
`,
  'knex/lib/index.js': `const Knex = require('./knex-builder/Knex');
module.exports = Knex;
`,
  'knex/lib/knex-builder/Knex.js': `function knex(config) {
  const client = { config, pool: {}, destroy() { this.pool = undefined; return Promise.resolve(); } };
  const instance = function (table) { return table; };
  instance.client = client;
  instance.destroy = function () { return client.destroy(); };
  instance.raw = function () {};
  return instance;
}
module.exports = knex;
`,
  'mongoose/package.json': '{ "name": "mongoose", "main": "./index.js" }',
  'mongoose/index.js': `'use strict';
const mongoose = require('./lib/');
module.exports = mongoose;
module.exports.default = mongoose;
module.exports.mongoose = mongoose;
module.exports.createConnection = mongoose.createConnection;
`,
  'mongoose/lib/index.js': `'use strict';
module.exports = require('./mongoose');
`,
  'mongoose/lib/mongoose.js': `'use strict';
function Connection(base) { this.base = base; this.readyState = 0; this.models = {}; }
Connection.prototype.openUri = function (uri) { this.readyState = 1; return Promise.resolve(this); };
Connection.prototype.close = function () { this.readyState = 0; return Promise.resolve(); };
Connection.prototype.destroy = function () { this.readyState = 0; return Promise.resolve(); };
Connection.prototype.model = function () {};
function Mongoose() { this.connections = []; this.createConnection(); }
Mongoose.prototype.createConnection = function createConnection(uri) {
  const _mongoose = this instanceof Mongoose ? this : mongoose;
  const connection = new Connection(_mongoose);
  _mongoose.connections.push(connection);
  if (uri) connection.openUri(uri);
  return connection;
};
Mongoose.prototype.Mongoose = Mongoose;
const mongoose = module.exports = exports = new Mongoose();
`,
  'mongodb/package.json': '{ "name": "mongodb", "main": "lib/index.js" }',
  'mongodb/lib/mongo_client.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MongoClient = void 0;
class MongoClient {
  constructor(url) { this.url = url; this.topology = undefined; }
  connect() { return Promise.resolve(this); }
  close() { this.closed = true; return Promise.resolve(); }
  db() {}
  startSession() {}
}
exports.MongoClient = MongoClient;
`,
  'mongodb/lib/index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MongoClient = void 0;
var mongo_client_1 = require("./mongo_client");
Object.defineProperty(exports, "MongoClient", { enumerable: true, get: function () { return mongo_client_1.MongoClient; } });
`,
  '@redis/client/package.json': '{ "name": "@redis/client", "main": "./dist/index.js" }',
  '@redis/client/dist/lib/client.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
class RedisClient {
  static create(options) { return new RedisClient(options); }
  constructor(options) { this.options = options; this.isOpen = false; }
  connect() { this.isOpen = true; return Promise.resolve(this); }
  sendCommand() {}
  quit() { this.isOpen = false; return Promise.resolve(); }
  close() { this.isOpen = false; return Promise.resolve(); }
  destroy() { this.isOpen = false; }
}
exports.default = RedisClient;
`,
  '@redis/client/dist/index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createClient = void 0;
const client_1 = require("./lib/client");
exports.createClient = client_1.default.create;
`,
  'redis/package.json': '{ "name": "redis", "main": "./dist/index.js" }',
  'redis/dist/index.js': `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createClient = void 0;
const client_1 = require("@redis/client");
function createClient(options) { return (0, client_1.createClient)({ ...options, modules: {} }); }
exports.createClient = createClient;
`,
};

/** Writes the look-alikes to a temp dir; returns the dir that contains `node_modules`. */
export function writeLibraryLookalikes(): string {
  const root = mkdtempSync(join(tmpdir(), 'leakhound-libs-'));
  for (const [path, content] of Object.entries(FILES)) {
    const file = join(root, 'node_modules', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}
