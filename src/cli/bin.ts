/** Entry point of the `leakhound` binary. */
import { runCli } from './main.js';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`leakhound: internal error — please report it with the stack below\n${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
