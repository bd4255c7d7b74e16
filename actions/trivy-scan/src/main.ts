import { join } from 'node:path';
import * as core from '@actions/core';
import { UserError, actionsSummaryWriter, run } from '@slipway/core';
import { coreCacheLog, installForAction } from '@slipway/supply-chain/tools/action-install';
import { execProgram } from '@slipway/supply-chain/tools/run-program';
import { persistentCacheFromEnv } from '@slipway/supply-chain/tools/tool-caches';
import { runTrivyScan } from '@slipway/supply-chain/trivy/run-scan';
import { countBySeverity, scanSummaryMarkdown } from '@slipway/supply-chain/trivy/scan-summary';
import { getInputs } from './inputs.ts';

export default () =>
  run(async () => {
    const inputs = getInputs();
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
      log: { info: (line) => core.info(line), warning: (line) => core.warning(line) },
    });
    const counts = countBySeverity(outcome.findings);
    core.setOutput('sarif-file', inputs['sarif-file']);
    core.setOutput('json-file', inputs['json-file']);
    core.setOutput('findings', String(outcome.findings.length));
    for (const [severity, count] of Object.entries(counts))
      core.setOutput(severity.toLowerCase(), String(count));
    core.setOutput('gate', outcome.gated.length === 0 ? 'passed' : 'failed');
    core.setOutput('trivy-version', trivy.version);
    if (outcome.dbMetadata) core.setOutput('db-version', JSON.stringify(outcome.dbMetadata));
    await actionsSummaryWriter(
      scanSummaryMarkdown({
        target: inputs.target,
        scanType: inputs['scan-type'],
        findings: outcome.findings,
        failOn: inputs['fail-on'],
        sarifFile: inputs['sarif-file'],
      }),
    );
    if (outcome.gated.length > 0) {
      const ids = [...new Set(outcome.gated.map((f) => f.id))];
      throw new UserError(
        `${outcome.gated.length} findings at or above ${inputs['fail-on']} (fail-on): ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', ...' : ''}.`,
        { hint: 'Fix or upgrade the affected packages, add accepted IDs to .trivyignore, or raise fail-on.' },
      );
    }
  });
