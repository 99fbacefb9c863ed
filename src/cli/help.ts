export const MAIN_HELP = `leakhound — find the database-client causes of Node.js out-of-memory crashes

Usage
  leakhound scan [dir] [options]     find every place a Prisma client is constructed
  leakhound --help | --version

Run \`leakhound scan --help\` for the scan options.

Exit codes
  0  the command ran
  2  usage error (unknown option, missing directory) — the message says what to change
`;

export const SCAN_HELP = `leakhound scan — every Prisma client construction in a repository

Usage
  leakhound scan [dir] [options]

  dir defaults to the current directory. Files are listed with git when dir is in a
  git work tree (so .gitignore is honoured), otherwise walked with .gitignore support.
  node_modules, build output (dist, build, .next, …) and generated Prisma clients
  (the output folders of the generators in your schema.prisma) are skipped.

Options
  -f, --format <name>       pretty (default), json, markdown
  -o, --output <file>       write the report to a file instead of stdout
      --ignore <pattern>    skip paths matching a gitignore-style pattern (repeatable)
      --test-pattern <p>    gitignore-style pattern for test files (repeatable; replaces the
                            defaults: *.test.*, *.spec.*, __tests__/, test/, tests/, e2e/, …)
      --max-file-size <MB>  do not analyse larger files (default 2; a warning names them)
      --threads <n>         threads for parsing (default: CPU count; trees under 3,000
                            files are parsed on the main thread)
      --no-git              walk the directory instead of asking git for the file list
      --no-color            plain output (also when NO_COLOR is set or output is piped)
  -h, --help                this help

Examples
  leakhound scan                       scan the current repository
  leakhound scan apps/api -f markdown  a Markdown report for a pull request
  leakhound scan . -f json -o report.json

Each site says whether it runs once per process (module scope, a singleton) or on every
call (inside a request handler, job processor, timer, constructor or function), and its
category: route, service, job, script, test or other.
`;
