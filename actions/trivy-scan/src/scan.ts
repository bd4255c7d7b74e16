import { join } from 'node:path';
import * as core from '@actions/core';
import { UserError, actionsCoreMask, actionsSummaryWriter } from '@slipway/core';
import {
  coreCacheLog,
  execProgram,
  installForAction,
  persistentCacheFromEnv,
} from '@slipway/supply-chain/tools';
import {
  countBySeverity,
  type PlatformScan,
  platformsOutput,
  runTrivyScan,
  scanSummaryMarkdown,
  worstCounts,
} from '@slipway/supply-chain/trivy';
import { imageIndexTargets, openImage } from '@slipway/supply-chain/registry';
import type { Inputs } from './inputs.ts';

const REGISTRY_TIMEOUT_MS = 60_000;

/** ` in linux/arm64 of the index` for an index scan; empty for a single image. */
const failedPlatforms = (platforms: PlatformScan[] | undefined) =>
  platforms
    ? ` in ${platforms
        .filter((p) => p.gated.length > 0)
        .map((p) => p.platform)
        .join(', ')} of the index`
    : '';

/** Everything after the inputs: the index lookup, the install, the scan, its outputs and gate. */
export async function scan(inputs: Inputs): Promise<void> {
  const log = {
    info: (line: string) => core.info(line),
    warning: (line: string) => core.warning(line),
    notice: (line: string) => core.notice(line),
  };
  // an image index is scanned per platform image: looked up before trivy is installed
  const index =
    inputs['scan-type'] === 'image'
      ? await imageIndexTargets(inputs.target, inputs.platforms, {
          open: (reference) =>
            openImage(reference, {
              timeoutMs: REGISTRY_TIMEOUT_MS,
              mask: actionsCoreMask,
              ...(inputs.platforms === 'all' ? { retry: { maxAttempts: 2 } } : {}),
            }),
          log,
          input: 'target',
        })
      : undefined;
  // one cache object for the archive and the DBs in `auto` mode, so a skipped restore is told once
  const toolArchiveCache = persistentCacheFromEnv(process.env, coreCacheLog);
  const dbCache =
    inputs['cache-db'] === 'auto'
      ? toolArchiveCache
      : persistentCacheFromEnv(process.env, coreCacheLog, inputs['cache-db']);
  const trivy = await installForAction({
    cache: toolArchiveCache,
    tool: 'trivy',
    ...(inputs.version ? { version: inputs.version } : {}),
    allowUnverified: inputs['allow-unverified-tool'],
    ...(inputs['releases-url'] ? { releasesUrl: inputs['releases-url'] } : {}),
  });
  const outcome = await runTrivyScan({
    ...(index ? { index } : {}),
    scanType: inputs['scan-type'],
    target: inputs.target,
    severity: inputs.severity,
    ignoreUnfixed: inputs['ignore-unfixed'],
    ...(inputs.trivyignore ? { ignoreFile: inputs.trivyignore } : {}),
    ...(inputs['trivy-config'] ? { configFile: inputs['trivy-config'] } : {}),
    skipDirs: inputs['skip-dirs'],
    cacheDir: join(process.env.RUNNER_TEMP ?? process.cwd(), 'slipway-trivy'),
    jsonFile: inputs['json-file'],
    sarifFile: inputs['sarif-file'],
    failOn: inputs['fail-on'],
    trivy: trivy.path,
    run: execProgram,
    dbRepositories: inputs['db-repository'],
    javaDbRepositories: inputs['java-db-repository'],
    dbCache,
    now: new Date(),
    log,
  });
  const { counts, findings } = outcome.platforms
    ? worstCounts(outcome.platforms)
    : { counts: countBySeverity(outcome.findings), findings: outcome.findings.length };
  core.setOutput('sarif-file', inputs['sarif-file']);
  core.setOutput('json-file', inputs['json-file']);
  core.setOutput('findings', String(findings));
  for (const [severity, count] of Object.entries(counts))
    core.setOutput(severity.toLowerCase(), String(count));
  core.setOutput('gate', outcome.gated.length === 0 ? 'passed' : 'failed');
  core.setOutput('trivy-version', trivy.version);
  if (outcome.dbMetadata) core.setOutput('db-version', JSON.stringify(outcome.dbMetadata));
  if (outcome.platforms) core.setOutput('platforms', JSON.stringify(platformsOutput(outcome.platforms)));
  await actionsSummaryWriter(
    scanSummaryMarkdown({
      target: inputs.target,
      scanType: inputs['scan-type'],
      findings: outcome.findings,
      failOn: inputs['fail-on'],
      sarifFile: inputs['sarif-file'],
      ...(outcome.platforms ? { platforms: outcome.platforms } : {}),
    }),
  );
  if (outcome.gated.length > 0) {
    const ids = [...new Set(outcome.gated.map((f) => f.id))];
    throw new UserError(
      `${outcome.gated.length} findings at or above ${inputs['fail-on']} (fail-on)${failedPlatforms(outcome.platforms)}: ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''}.`,
      { hint: 'Fix or upgrade the affected packages, add accepted IDs to .trivyignore, or raise fail-on.' },
    );
  }
}
