import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as core from '@actions/core';
import {
  actionsSummaryWriter,
  InputError,
  markdownTable,
  run,
  SLIPWAY_VERSION,
  UserError,
} from '@slipway/core';
import { githubEndpoints } from '@slipway/github';
import {
  errorCount,
  findingLink,
  runOutcome,
  releaseLines,
  releasesToShow,
  RELEASE_WORDS,
  runPinCheck,
  serverUrlFromEnv,
  toSarif,
  type Finding,
  type PinnedRelease,
} from '@slipway/pinning';
import { refCacheKey, refCacheScope, restoreRefCache, saveRefCache } from './actions-cache.ts';
import { getInputs } from './inputs.ts';
import { rebase, repositoryRoot } from './repository-root.ts';

export default async function main(): Promise<void> {
  await run(check);
}

async function check(): Promise<void> {
  const inputs = getInputs();
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const temp = process.env.RUNNER_TEMP ?? workspace;
  const root = resolve(workspace, inputs.path);
  if (!isDirectory(root))
    throw new InputError(
      'path',
      `is '${inputs.path}', which is not a folder in the workspace`,
      'a folder relative to the workspace (default: .)',
    );
  if (inputs.policy !== undefined && !existsSync(resolve(root, inputs.policy)))
    throw new InputError(
      'policy',
      `is '${inputs.policy}', which does not exist in '${inputs.path}'`,
      'a policy file relative to `path`, or no value for the default .github/slipway-pin.yml',
    );
  const needsApi = inputs.online || inputs.fix || inputs.update;
  const cacheFile = needsApi ? join(temp, 'slipway-pin-check', 'refs.json') : undefined;
  const { apiUrl, graphqlUrl } = githubEndpoints();
  const endpoints = { apiUrl, graphqlUrl };
  const cacheScope = refCacheScope(process.env);
  const cacheKey = inputs.cache
    ? refCacheKey(cacheScope, endpoints.apiUrl, inputs['cache-ttl'], Date.now())
    : undefined;
  const restored = cacheFile && cacheKey ? await restoreRefCache(cacheFile, cacheKey, process.env) : false;

  const result = await runPinCheck({
    root,
    paths: [],
    ...(inputs.policy ? { policyFile: inputs.policy } : {}),
    extraPolicy: inputs.extraPolicy,
    online: inputs.online,
    fix: inputs.fix,
    update: inputs.update,
    major: inputs.major,
    ...(inputs['min-release-age'] !== undefined ? { minReleaseAgeMs: inputs['min-release-age'] } : {}),
    ...(inputs.token ? { token: inputs.token } : {}),
    ...endpoints,
    ...(cacheFile ? { cacheFile } : {}),
    cacheTtlMs: inputs['cache-ttl'],
    cacheScope,
    log: (message) => core.info(message),
  });
  // An entry is never overwritten: after a restore, the key is taken until the next TTL period.
  if (cacheFile && cacheKey && !restored) await saveRefCache(cacheFile, cacheKey, process.env);

  // Annotations and SARIF name files relative to the repository that holds them.
  const repoRoot = repositoryRoot(root, workspace);
  const repoPath = (file: string) => rebase(repoRoot, root, file);
  const sarifPath = resolve(workspace, inputs['sarif-file'] ?? join(temp, 'pin-check.sarif'));
  const sarif = toSarif(
    result.findings.map((f) => ({ ...f, file: repoPath(f.file) })),
    { version: SLIPWAY_VERSION },
  );
  try {
    mkdirSync(dirname(sarifPath), { recursive: true });
    writeFileSync(sarifPath, `${JSON.stringify(sarif, null, 2)}\n`);
  } catch (error) {
    throw new UserError(`Input 'sarif-file': cannot write ${sarifPath}`, { cause: error });
  }

  for (const f of result.findings) annotate(f, repoPath(f.file));

  const fixed = result.plan?.fixes.reduce((n, f) => n + f.replacements.length, 0) ?? 0;
  for (const fix of result.plan?.fixes ?? [])
    core.info(`Fixed ${fix.replacements.length} reference(s) in ${fix.file}`);
  for (const s of result.plan?.skipped ?? [])
    core.warning(`Not fixed: ${s.reference}: ${s.reason}`, {
      file: repoPath(s.file),
      startLine: s.line,
      startColumn: s.column,
    });

  const releases = (result.releases ?? []).map((r) => ({ ...r, file: repoPath(r.file) }));
  for (const line of releaseLines(releases)) if (line !== '') core.info(line);

  const errors = errorCount(result.findings);
  await actionsSummaryWriter(
    summary(result.findings, result.files.length, fixed, repoPath, serverUrlFromEnv()) +
      releaseSummary(releases),
  );
  core.setOutput('findings', String(result.findings.length));
  core.setOutput('errors', String(errors));
  core.setOutput('fixed', String(fixed));
  core.setOutput('report', sarifPath);
  core.info(
    `pin-check: ${result.findings.length} finding(s), ${errors} at error severity, in ${result.files.length} file(s); SARIF at ${sarifPath}`,
  );
  if (inputs['fail-on-findings'] && runOutcome(result.findings) === 'unverified') {
    throw new UserError(
      `pin-check could not verify ${errors} reference(s) online: a GitHub lookup failed (see the annotations)`,
      {
        hint: 'Check the network and the token and run again, or accept it in the policy: severity: { could-not-verify: warning }.',
      },
    );
  }
  if (inputs['fail-on-findings'] && errors > 0) {
    throw new UserError(`pin-check found ${errors} reference(s) at error severity (see the annotations)`, {
      hint: 'Pin them to a full commit SHA or digest: run `npx slipway pin-check --fix` locally, or set `fix: true`.',
    });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function annotate(f: Finding, file: string): void {
  const properties = { file, startLine: f.line, startColumn: f.column, title: `pin-check: ${f.ruleId}` };
  if (f.severity === 'error') core.error(f.message, properties);
  else if (f.severity === 'warning') core.warning(f.message, properties);
  else core.notice(f.message, properties);
}

function summary(
  findings: readonly Finding[],
  files: number,
  fixed: number,
  path: (file: string) => string,
  serverUrl: string,
): string {
  const head = `## pin-check\n\n${findings.length} finding(s) in ${files} file(s)${fixed > 0 ? `; ${fixed} reference(s) fixed` : ''}.\n`;
  if (findings.length === 0) return `${head}\nEvery action and image reference is pinned.\n`;
  const rows = findings.map((f) => [
    `${path(f.file)}:${f.line}:${f.column}`,
    f.severity,
    f.ruleId,
    reference(f, serverUrl),
    f.message,
  ]);
  return `${head}\n${markdownTable(['Location', 'Severity', 'Rule', 'Reference', 'Message'], rows)}\n`;
}

/** Online: each reference's release tag and whether the release is immutable (information only). */
function releaseSummary(releases: readonly PinnedRelease[]): string {
  const shown = releasesToShow(releases);
  if (shown.length === 0) return '';
  const rows = shown.map((r) => [
    `${r.file}:${r.line}:${r.column}`,
    `\`${r.repository}\``,
    `\`${r.tag}\``,
    RELEASE_WORDS[r.release],
  ]);
  return `\n### Releases\n\nInformation only: an immutable release does not pin a reference.\n\n${markdownTable(['Location', 'Repository', 'Tag', 'Release'], rows)}\n`;
}

/** The reference as code, linked to its page on the workflow's GitHub server for online findings. */
function reference(f: Finding, serverUrl: string): string {
  if (f.reference === '') return '';
  const link = findingLink(f, serverUrl);
  return link ? `[\`${f.reference}\`](${link})` : `\`${f.reference}\``;
}
