// A small load generator (no dependencies): N keep-alive workers request the service's
// routes in a fixed mix for D seconds, then print what they got. autocannon or wrk do the
// same job; this one ships with the example.
//   node examples/orders-service/load.mjs [--url http://127.0.0.1:3000] [--duration 15] [--concurrency 8]
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3000}` }, duration: { type: 'string', default: '15' }, concurrency: { type: 'string', default: '8' } },
});
// Mostly reads, some orders placed, and now and then a report (which the leaky service
// builds with a client of its own).
const MIX = ['/orders', '/orders', '/customers', '/orders', 'POST /orders', '/customers', '/orders', '/reports/daily'];
const agent = new Agent({ keepAlive: true, maxSockets: Number(values.concurrency) });
const deadline = Date.now() + Number(values.duration) * 1000;
const counts = { ok: 0, failed: 0 };

function once(path) {
  const [method, target] = path.startsWith('POST ') ? ['POST', path.slice(5)] : ['GET', path];
  return new Promise((resolve) => {
    const req = request(new URL(target, values.url), { method, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

async function worker(offset) {
  for (let i = offset; Date.now() < deadline; i++) {
    if (await once(MIX[i % MIX.length])) counts.ok++;
    else counts.failed++;
  }
}

await Promise.all(Array.from({ length: Number(values.concurrency) }, (_, i) => worker(i)));
agent.destroy();
const seconds = Number(values.duration);
console.log(`${counts.ok + counts.failed} requests in ${seconds} s (${Math.round((counts.ok + counts.failed) / seconds)}/s), ${counts.failed} failed`);
