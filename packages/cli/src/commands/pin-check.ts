/**
 * `slipway pin-check [paths...]`: lints workflows and actions for references
 * not pinned to a commit SHA or image digest; `--fix` rewrites them in place.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration, UserError } from '@slipway/core';
import { githubEndpoints, graphqlUrlFor } from '@slipway/github';
import {
  findCheckedRoot,
  refCacheFileName,
  parseReleaseAge,
  parseSeverityFlag,
  runPinCheck,
  runOutcome,
  toJson,
  toSarif,
  toText,
  workerScanner,
  cachedScanner,
  scanOnThisThread,
  type Finding,
  type Policy,
  type TreeScanner,
} from '@slipway/pinning';
import { EXIT_FINDINGS, EXIT_OK, EXIT_UNVERIFIED, UsageError, type CliIo } from '../io.ts';
import { VERSION_FOR_REPORTS } from '../version.ts';
import type { Command } from '../registry.ts';
import { colorize } from '../colors.ts';

const HELP = `Usage: slipway pin-check [options] [paths...]

Checks .github/workflows/*.yml and every action.yml under the given paths
(default: the current directory) for actions, reusable workflows and images
that are not pinned to a full commit SHA or a sha256 digest.

The checked root is the nearest folder, from the first path upward, that holds
a .github folder (the first path itself, or its folder, when none does). Its
.github/slipway-pin.yml is the policy, --ignore globs and policy globs match
paths relative to it, and SARIF paths are relative to it (%SRCROOT%). Text and
JSON reports name files relative to the current directory.

Options:
  --format <text|json|sarif>  report format (default: text)
  --output <file>             write the report to a file instead of stdout
  --policy <file>             policy file, relative to the current directory (default:
                              .github/slipway-pin.yml of the checked root, if present)
  --allow <pattern>           allow an owner, owner/repo, image or glob (repeatable)
  --ignore <glob>             skip files matching the glob (repeatable)
  --severity <rule=level>     error, warning, note or off for a rule (repeatable)
  --online                    also check with the GitHub API: drift, impostor commits, stale pins;
                              lists each reference's release tag and whether it is immutable
                              (information only: it never passes an unpinned reference)
  --fix                       rewrite unpinned refs to @<sha> # <tag> (needs a token)
  --update                    move pins to the newest release of the same major (needs a token)
  --major                     with --update, allow a newer major version
  --min-release-age <dur>     with --update, only move to tags made at least this long ago
                              (cooldown, e.g. 7d or 72h; a tag whose date is unknown is not
                              taken; default: the policy's min-release-age, else none)
  --cache-dir <dir>           cache for GitHub lookups (default: ~/.cache/slipway)
  --cache-ttl <duration>      how long cached lookups stay valid (default: 24h)
  --no-cache                  do not read or write the caches (lookups, and scans by file content)
  --jobs <n>                  threads for scanning trees of 300 files or more (default: 1;
                              worker threads measured slower, see bench/pin-check)
  --api-url <url>             REST API for online and fix modes (default: GITHUB_API_URL, else
                              https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3)
  --graphql-url <url>         GraphQL API (default: derived from --api-url when given, else
                              GITHUB_GRAPHQL_URL)
  --allow-empty               exit 0 when the paths hold no workflow or action file (default: exit 2)
  -h, --help                  show this help

Online and fix modes read the token from GITHUB_TOKEN or GH_TOKEN.
Exit codes:
  0  no findings at error severity (with --fix or --update: the files were rewritten too)
  1  findings at error severity
  2  usage or input error (a bad flag, a path that does not exist, no workflow or action file
     found without --allow-empty, a bad policy file)
  3  could not verify: a GitHub lookup failed (not reachable, token rejected, rate limited,
     errors after the retries) and there are no other findings at error severity. Online, the
     report lists a could-not-verify finding for each reference not verified; with --fix or
     --update nothing is written. A policy can accept it: severity: { could-not-verify: warning }
`;

const FORMATS = ['text', 'json', 'sarif'] as const;

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        output: { type: 'string' },
        policy: { type: 'string' },
        allow: { type: 'string', multiple: true },
        ignore: { type: 'string', multiple: true },
        severity: { type: 'string', multiple: true },
        online: { type: 'boolean' },
        fix: { type: 'boolean' },
        update: { type: 'boolean' },
        major: { type: 'boolean' },
        'min-release-age': { type: 'string' },
        'cache-dir': { type: 'string' },
        'cache-ttl': { type: 'string' },
        'no-cache': { type: 'boolean' },
        jobs: { type: 'string' },
        'api-url': { type: 'string' },
        'graphql-url': { type: 'string' },
        'allow-empty': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (see slipway pin-check --help)`);
  }
}

/** An http(s) URL without a trailing slash, or a usage error naming the flag. */
function endpointFlag(flag: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash)
    throw new UsageError(
      `--${flag} must be an http(s) URL such as https://github.example.com/api/v3, not '${value}'`,
    );
  return value.replace(/\/+$/, '');
}

/**
 * REST and GraphQL endpoints: --api-url (GraphQL derived from it unless --graphql-url is given,
 * since GITHUB_GRAPHQL_URL may belong to another server), else GITHUB_API_URL / GITHUB_GRAPHQL_URL.
 */
export function apiEndpoints(
  flags: { 'api-url'?: string; 'graphql-url'?: string },
  env: NodeJS.ProcessEnv,
): { apiUrl: string; graphqlUrl: string } {
  const graphqlFlag =
    flags['graphql-url'] === undefined ? undefined : endpointFlag('graphql-url', flags['graphql-url']);
  if (flags['api-url'] !== undefined) {
    const apiUrl = endpointFlag('api-url', flags['api-url']);
    return { apiUrl, graphqlUrl: graphqlFlag ?? graphqlUrlFor(apiUrl) };
  }
  const fromEnv = githubEndpoints(env);
  return { apiUrl: fromEnv.apiUrl, graphqlUrl: graphqlFlag ?? fromEnv.graphqlUrl };
}

export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  return env.XDG_CACHE_HOME ? join(env.XDG_CACHE_HOME, 'slipway') : join(homedir(), '.cache', 'slipway');
}

/**
 * Scanner threads when --jobs is not given: one. On the shared corpus (1,802 real workflows,
 * cold, --no-cache, 2 busy CPUs, median of 7 interleaved runs) the bundle took 0.94 s wall and
 * 0.47 s CPU on one thread, 1.78 s and 0.87 s with --jobs 2, 2.24 s and 1.15 s with --jobs 4:
 * the whole scan costs less CPU than the workers add (each loads the bundle), so more CPUs
 * cannot win the time back.
 */
export const DEFAULT_JOBS = 1;

/** Worker threads for large trees when running from the bundle; the content cache unless --no-cache. */
function scannerFor(io: CliIo, root: string, jobs: number, lookupCache: string | undefined): TreeScanner {
  const base = io.entry && jobs > 1 ? workerScanner({ entry: io.entry, threads: jobs }) : scanOnThisThread;
  if (!lookupCache) return base;
  const key = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return cachedScanner(base, join(dirname(lookupCache), `pin-check-scan-${key}.json`));
}

export async function runPinCheckCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  if (values.major && !values.update) throw new UsageError('--major only applies with --update');
  const minAge = values['min-release-age'];
  if (minAge !== undefined && !values.update)
    throw new UsageError('--min-release-age only applies with --update');
  const minReleaseAgeMs = minAge === undefined ? undefined : parseReleaseAge(minAge);
  if (minAge !== undefined && minReleaseAgeMs === undefined)
    throw new UsageError(`--min-release-age '${minAge}' is not a duration such as 7d or 72h`);
  const ttl = values['cache-ttl'] === undefined ? 86_400_000 : parseDuration(values['cache-ttl']);
  if (ttl === undefined)
    throw new UsageError(`--cache-ttl '${values['cache-ttl']}' is not a duration such as 30m or 24h`);
  const jobs = values.jobs === undefined ? DEFAULT_JOBS : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64)
    throw new UsageError(`--jobs must be a whole number from 1 to 64, not '${values.jobs}'`);
  const extraPolicy: Policy = {
    allow: values.allow ?? [],
    ignore: values.ignore ?? [],
    severity: Object.fromEntries((values.severity ?? []).map((item) => parseSeverityFlag(item))),
  };
  const token = io.env.GITHUB_TOKEN?.trim() || io.env.GH_TOKEN?.trim() || undefined;
  const { apiUrl, graphqlUrl } = apiEndpoints(values, io.env);
  const cacheFile = values['no-cache']
    ? undefined
    : join(resolve(io.cwd, values['cache-dir'] ?? defaultCacheDir(io.env)), refCacheFileName(apiUrl));

  const checked = findCheckedRoot(resolve(io.cwd), positionals);
  if (format === 'sarif' && checked.outside.length > 0)
    throw new UsageError(
      `--format sarif: ${checked.outside.join(', ')} lies outside the checked root ${checked.root} ` +
        '(SARIF paths are relative to it); check each repository in its own run',
    );
  const root = checked.root;
  const policyFile = values.policy === undefined ? undefined : resolve(io.cwd, values.policy);
  if (policyFile !== undefined && !existsSync(policyFile))
    throw new UserError(`policy file ${values.policy} does not exist`);
  /** Finding and fix paths are relative to root; text and JSON show them relative to the cwd. */
  const forCwd = (file: string) => relative(resolve(io.cwd), join(root, file)).split(sep).join('/') || '.';

  const result = await runPinCheck({
    root,
    paths: checked.paths,
    ...(policyFile !== undefined ? { policyFile } : {}),
    extraPolicy,
    online: values.online === true,
    fix: values.fix === true,
    update: values.update === true,
    major: values.major === true,
    ...(minReleaseAgeMs !== undefined ? { minReleaseAgeMs } : {}),
    ...(token ? { token } : {}),
    apiUrl,
    graphqlUrl,
    apiUrlSource: values['api-url'] !== undefined ? '--api-url' : 'GITHUB_API_URL',
    ...(cacheFile ? { cacheFile } : {}),
    cacheTtlMs: ttl,
    log: (message) => io.stderr(`${message}\n`),
    scanner: scannerFor(io, root, jobs, cacheFile),
  });

  if (result.files.length === 0) {
    const searched = positionals.length > 0 ? positionals.map((p) => `'${p}'`).join(', ') : "'.'";
    const message = `no workflow (.github/workflows/*.yml) or action (action.yml) file found under ${searched}`;
    if (!values['allow-empty'])
      throw new UsageError(
        `${message}; give the repository root or a path that holds them, or pass --allow-empty to accept this`,
      );
    io.stderr(`slipway pin-check: ${message} (--allow-empty)\n`);
  }
  if (result.plan) {
    const count = result.plan.fixes.reduce((n, f) => n + f.replacements.length, 0);
    for (const fix of result.plan.fixes)
      io.stderr(`fixed ${fix.replacements.length} in ${forCwd(fix.file)}\n`);
    for (const s of result.plan.skipped)
      io.stderr(`not fixed: ${forCwd(s.file)}:${s.line}:${s.column} ${s.reference}: ${s.reason}\n`);
    io.stderr(
      `${count} reference${count === 1 ? '' : 's'} rewritten in ${result.plan.fixes.length} file(s)\n`,
    );
  }
  const shown: Finding[] = result.findings.map((f) => ({ ...f, file: forCwd(f.file) }));
  const releases = result.releases?.map((r) => ({ ...r, file: forCwd(r.file) }));
  const report =
    format === 'json'
      ? toJson(shown, result.files.length, releases)
      : format === 'sarif'
        ? `${JSON.stringify(toSarif(result.findings, { version: VERSION_FOR_REPORTS, srcRoot: root }), null, 2)}\n`
        : colorize(toText(shown, result.files.length, releases), io.isTty && !io.env.NO_COLOR);
  if (values.output !== undefined) {
    const path = resolve(io.cwd, values.output);
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, report);
    } catch (error) {
      throw new UserError(`--output ${values.output}: cannot write the report`, { cause: error });
    }
  } else {
    io.stdout(report);
  }
  const outcome = runOutcome(result.findings);
  return outcome === 'findings' ? EXIT_FINDINGS : outcome === 'unverified' ? EXIT_UNVERIFIED : EXIT_OK;
}

export const pinCheckCommand: Command = {
  name: 'pin-check',
  summary: 'find (and --fix) actions and images not pinned to a commit SHA or digest',
  run: runPinCheckCommand,
};
