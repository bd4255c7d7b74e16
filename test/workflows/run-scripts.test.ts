/**
 * The shell in the workflows' `run:` steps, executed with bash as the runner does: shellcheck on every
 * script, and behaviour tests of the steps that validate inputs or compute outputs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findStep, parseOutputFile, runStep, type WorkflowStep } from './run-step.ts';

const root = resolve(import.meta.dirname, '../..');
const wf = (name: string) => join(root, '.github', 'workflows', name);
const SHA = 'a'.repeat(40);
const DIGEST = `sha256:${'b'.repeat(64)}`;

const scripts = [
  ...['build-sign-push', 'gitops-bump', 'pin-check', 'deploy-gate', 'e2e', 'release'].map((n) =>
    wf(`${n}.yml`),
  ),
  ...readdirSync(join(root, 'docs', 'examples')).map((f) => join(root, 'docs', 'examples', f)),
].flatMap((file) => {
  const jobs = (parse(readFileSync(file, 'utf8')) as { jobs: Record<string, { steps?: WorkflowStep[] }> })
    .jobs;
  return Object.entries(jobs).flatMap(([job, spec]) =>
    (spec.steps ?? [])
      .filter((s) => s.run)
      .map((s, i) => [`${file.slice(root.length + 1)} ${job} ${s.name ?? s.id ?? i}`, s.run!] as const),
  );
});

describe('run: scripts', () => {
  it.each(scripts)('%s passes shellcheck', (_name, script) => {
    const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', '-'], {
      input: script,
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('build-sign-push: validate the apps list', () => {
  const step = findStep(wf('build-sign-push.yml'), 'plan', 'apps');
  const run = (apps: string, cloud = 'ghcr', sbom = 'spdx-json', registry = 'ghcr.io/acme', tag = '') =>
    runStep(step, {
      APPS: apps,
      CLOUD: cloud,
      SBOM_FORMAT: sbom,
      REGISTRY: registry,
      TAG: tag,
      SERVER_URL: 'https://github.com',
    });

  it('fills in defaults and works out the Git context sub-folder', () => {
    const result = run(
      '[{"name":"api"},{"name":"worker","context":"./services/worker/","dockerfile":"Dockerfile.worker"}]',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.apps!)).toEqual([
      { name: 'api', context: '.', dockerfile: 'Dockerfile', subdir: '' },
      {
        name: 'worker',
        context: './services/worker/',
        dockerfile: 'Dockerfile.worker',
        subdir: ':services/worker',
      },
    ]);
  });

  it('lower-cases the registry and rejects one that is not host/namespace', () => {
    expect(run('[{"name":"api"}]', 'ghcr', 'spdx-json', 'ghcr.io/Acme-Corp/').outputs.registry).toBe(
      'ghcr.io/acme-corp',
    );
    const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/E2E';
    expect(run('[{"name":"api"}]', 'aws', 'spdx-json', ecr).outputs.registry).toBe(ecr.toLowerCase());
    for (const registry of ['', 'https://ghcr.io/acme', 'ghcr.io/acme:v1', 'ghcr.io//acme'])
      expect(run('[{"name":"api"}]', 'ghcr', 'spdx-json', registry).stdout).toBe(
        "::error::input 'registry' must look like host[:port]/namespace, e.g. ghcr.io/acme\n",
      );
  });

  it('keys the result artifacts by registry, tag and apps, so two calls in one run do not collide', () => {
    const key = (registry: string, tag = '') =>
      run('[{"name":"api"}]', 'ghcr', 'spdx-json', registry, tag).outputs.key;
    expect(key('ghcr.io/acme')).toMatch(/^[0-9a-f]{12}$/);
    expect(key('ghcr.io/acme')).toBe(key('ghcr.io/acme'));
    expect(new Set([key('ghcr.io/acme'), key('acme.azurecr.io/team'), key('ghcr.io/acme', 'v1')]).size).toBe(
      3,
    );
  });

  it.each([
    ['{"name":"api"}', 'must be a non-empty JSON list'],
    ['[]', 'must be a non-empty JSON list'],
    ['[{"name":"API"}]', 'every entry needs a name of lower-case letters, digits, . _ -'],
    // jq's $ also matches before a final newline: the name would end in one
    ['[{"name":"api\\n"}]', 'every entry needs a name of lower-case letters, digits, . _ -'],
    ['[{"name":"a","context":"services\\n"}]', 'a: context and dockerfile must be relative paths'],
    ['[{"name":"a"},{"name":"a"}]', 'app names must be unique'],
    [
      '[{"name":"a","context":"../other"}]',
      'a: context and dockerfile must be relative paths inside the repository',
    ],
    ['[{"name":"a","dockerfile":"/etc/passwd"}]', 'a: context and dockerfile must be relative paths'],
    ['[{"name":"a","context":"x#main"}]', 'a: context and dockerfile must be relative paths'],
    ['not json', "input 'apps':"],
  ])('rejects %s', (apps, message) => {
    const result = run(apps);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error::input 'apps': /);
    expect(result.stdout).toContain(message);
    expect(result.outputs).toEqual({});
  });

  it('rejects an unknown cloud and SBOM format before looking at the apps', () => {
    expect(run('[{"name":"a"}]', 'digitalocean').stdout).toBe(
      "::error::input 'cloud' must be ghcr, aws, gcp or azure\n",
    );
    expect(run('[{"name":"a"}]', 'aws', 'syft-json').stdout).toBe(
      "::error::input 'sbom-format' must be spdx-json or cyclonedx-json\n",
    );
  });
});

describe("the guard before Slipway's own checkout", () => {
  const step = findStep(wf('build-sign-push.yml'), 'build', "Check that this workflow's own commit is known");
  it('passes with a repository and a 40-hex SHA', () => {
    expect(runStep(step, { SLIPWAY_REPOSITORY: 'acme/slipway', SLIPWAY_SHA: SHA }).code).toBe(0);
  });
  it.each([
    ['', 'acme/slipway'],
    ['main', 'acme/slipway'],
    [SHA.slice(0, 39), 'acme/slipway'],
    [SHA, ''],
  ])('fails with SHA %j and repository %j, so checkout never falls back to a branch', (sha, repository) => {
    const result = runStep(step, { SLIPWAY_REPOSITORY: repository, SLIPWAY_SHA: sha });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::job.workflow_sha is not available on this runner');
  });
});

describe('build-sign-push: collect outputs', () => {
  const step = findStep(wf('build-sign-push.yml'), 'collect', 'merge');
  const KEY = '0123456789ab';
  const planned = (...apps: string[]) => ({
    APPS: JSON.stringify(apps.map((name) => ({ name, context: '.', dockerfile: 'Dockerfile', subdir: '' }))),
    REGISTRY: 'ghcr.io/acme',
    KEY,
  });
  /** The download step's layout with merge-multiple: false: one folder per artifact. */
  const withArtifacts = (artifacts: Record<string, Record<string, unknown>>) => (temp: string) => {
    for (const [name, files] of Object.entries(artifacts)) {
      mkdirSync(join(temp, 'slipway-image', name), { recursive: true });
      for (const [file, content] of Object.entries(files))
        writeFileSync(join(temp, 'slipway-image', name, file), JSON.stringify(content));
    }
  };
  const result = (app: string, digest = DIGEST) => ({
    [`slipway-image-${KEY}-${app}`]: {
      [`${app}.json`]: { app, image: `ghcr.io/acme/${app}`, digest },
    },
  });

  it('sets image and digest when one app was built', () => {
    const run = runStep(step, planned('api'), withArtifacts(result('api')));
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({
      images: `{"api":{"image":"ghcr.io/acme/api","digest":"${DIGEST}"}}`,
      image: 'ghcr.io/acme/api',
      digest: DIGEST,
    });
  });

  it('sets only the images map when several apps were built', () => {
    const run = runStep(
      step,
      planned('api', 'worker'),
      withArtifacts({ ...result('api'), ...result('worker') }),
    );
    expect(run.outputs).toEqual({
      images: `{"api":{"image":"ghcr.io/acme/api","digest":"${DIGEST}"},"worker":{"image":"ghcr.io/acme/worker","digest":"${DIGEST}"}}`,
    });
  });

  it("reads each app's artifact by its exact name: another artifact with the prefix is ignored, with a warning", () => {
    const OLD = `sha256:${'0'.repeat(64)}`;
    const run = runStep(
      step,
      planned('api'),
      withArtifacts({
        ...result('api'),
        // what merge-multiple would have laid over api.json: last wins
        [`slipway-image-${KEY}-zz`]: { 'api.json': { app: 'api', image: 'ghcr.io/acme/api', digest: OLD } },
      }),
    );
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toBe(DIGEST);
    expect(run.stdout).toBe(
      `::warning::ignored artifact slipway-image-${KEY}-zz: not the result of one of this call's apps\n`,
    );
  });

  it.each([
    [
      'a missing artifact',
      planned('api', 'worker'),
      result('api'),
      `artifact slipway-image-${KEY}-worker must hold exactly worker.json (found: no artifact)`,
    ],
    [
      'a second file in the artifact',
      planned('api'),
      { [`slipway-image-${KEY}-api`]: { 'api.json': { app: 'api' }, 'x.json': {} } },
      `artifact slipway-image-${KEY}-api must hold exactly api.json`,
    ],
    [
      'another app name inside',
      planned('api'),
      {
        [`slipway-image-${KEY}-api`]: {
          'api.json': { app: 'worker', image: 'ghcr.io/acme/api', digest: DIGEST },
        },
      },
      `artifact slipway-image-${KEY}-api: expected {"app": "api", "image": "ghcr.io/acme/api", "digest": "sha256:<64 hex>"}`,
    ],
    [
      'another image',
      planned('api'),
      {
        [`slipway-image-${KEY}-api`]: {
          'api.json': { app: 'api', image: 'evil.io/acme/api', digest: DIGEST },
        },
      },
      `artifact slipway-image-${KEY}-api: expected`,
    ],
    [
      'a digest that is not sha256:<64 hex>',
      planned('api'),
      result('api', 'sha256:abc'),
      `artifact slipway-image-${KEY}-api: expected`,
    ],
    ['no planned apps', { ...planned(), APPS: '[]' }, result('api'), ''],
  ])('fails on %s', (_what, env, artifacts, message) => {
    const run = runStep(step, env, withArtifacts(artifacts));
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain(message ? `::error::${message}` : '');
    expect(run.outputs).toEqual({});
  });
});

describe('gitops-bump: credential and image reference checks', () => {
  const creds = findStep(
    wf('gitops-bump.yml'),
    'bump',
    'Check that exactly one credential for the ops repository is given',
  );
  const ops = findStep(wf('gitops-bump.yml'), 'bump', 'ops');
  const credEnv = { APP_ID: '', HAS_APP_KEY: 'false', HAS_OPS_TOKEN: 'false', OPS_REPOSITORY: 'acme/ops' };

  it('needs a token or an app with its key', () => {
    expect(runStep(creds, { ...credEnv, HAS_OPS_TOKEN: 'true' }).code).toBe(0);
    expect(runStep(creds, { ...credEnv, APP_ID: '42', HAS_APP_KEY: 'true' }).code).toBe(0);
    expect(runStep(creds, credEnv).stdout).toBe(
      '::error::pass the ops-token secret, or the app-id input with the app-private-key secret\n',
    );
    expect(runStep(creds, { ...credEnv, APP_ID: '42', HAS_OPS_TOKEN: 'true' }).stdout).toBe(
      '::error::app-id is set but the app-private-key secret is empty\n',
    );
    expect(runStep(creds, { ...credEnv, HAS_OPS_TOKEN: 'true', OPS_REPOSITORY: 'acme' }).stdout).toBe(
      "::error::input 'ops-repository' must be owner/name\n",
    );
  });

  it.each([
    ['v1.2.3', '', 'ghcr.io/acme/api:v1.2.3'],
    ['', DIGEST, `ghcr.io/acme/api@${DIGEST}`],
    ['v1.2.3', DIGEST, `ghcr.io/acme/api:v1.2.3@${DIGEST}`],
  ])('tag %j and digest %j make %s', (tag, digest, image) => {
    const result = runStep(ops, {
      OPS_REPOSITORY: 'acme/ops',
      IMAGE: 'ghcr.io/acme/api',
      TAG: tag,
      DIGEST: digest,
    });
    expect(result.outputs).toEqual({ owner: 'acme', name: 'ops', image });
  });

  it.each([
    ['', '', 'give the tag input, the digest input, or both'],
    ['v1', 'sha256:abc', "input 'digest' must be sha256:<64 hex>"],
    ['v1 && true', '', "input 'image' must be a name without a digest, and 'tag' a Docker tag"],
  ])('rejects tag %j with digest %j', (tag, digest, message) => {
    const result = runStep(ops, {
      OPS_REPOSITORY: 'acme/ops',
      IMAGE: 'ghcr.io/acme/api',
      TAG: tag,
      DIGEST: digest,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`::error::${message}\n`);
  });
});

describe('deploy-gate: image reference and expected signer', () => {
  const step = findStep(wf('deploy-gate.yml'), 'verify', 'ref');
  const env = {
    IMAGE: `ghcr.io/acme/api@${DIGEST}`,
    CLOUD: 'none',
    SBOM_FORMAT: 'spdx-json',
    IDENTITY: '',
    IDENTITY_REGEXP: '',
    ISSUER: 'https://token.actions.githubusercontent.com',
    SOURCE_REPOSITORY: '',
    SOURCE_REF: '',
    ALLOWED_TRIGGERS: 'push',
    CALLER_WORKFLOW: '',
    SOURCE_ID: '',
    SOURCE_OWNER_ID: '',
    TRUSTED_ROOT: '',
    MAX_FAIL_ON: 'HIGH',
    CALLER_REPOSITORY: 'acme/api',
    CALLER_REPOSITORY_ID: '700001',
    CALLER_OWNER_ID: '900001',
    CALLER_DEFAULT_BRANCH: 'main',
    SERVER_URL: 'https://github.com',
    SLIPWAY_REPOSITORY: 'acme/slipway',
    SLIPWAY_SHA: SHA,
  };

  it("defaults the signer to build-sign-push at this workflow's own commit", () => {
    expect(runStep(step, env).outputs).toEqual({
      image: `ghcr.io/acme/api@${DIGEST}`,
      name: 'ghcr.io/acme/api',
      digest: DIGEST,
      host: 'ghcr.io',
      identity: `https://github.com/acme/slipway/.github/workflows/build-sign-push.yml@${SHA}`,
      'source-repository': 'acme/api',
      'source-repository-ref': 'refs/heads/main',
      'allowed-triggers': 'push',
      'caller-workflow': '',
      'source-repository-id': '700001',
      'source-repository-owner-id': '900001',
      'trusted-root': '',
      'predicate-type': 'spdxjson',
    });
  });

  it('defaults the run constraints to the caller: its default branch, push, its repository and owner IDs', () => {
    const outputs = runStep(step, { ...env, CALLER_DEFAULT_BRANCH: 'trunk' }).outputs;
    expect(outputs['source-repository-ref']).toBe('refs/heads/trunk');
    const explicit = runStep(step, {
      ...env,
      SOURCE_REF: 'refs/tags/v1',
      ALLOWED_TRIGGERS: 'push, release',
      CALLER_WORKFLOW: 'acme/api/.github/workflows/release.yml',
      SOURCE_ID: '42',
      SOURCE_OWNER_ID: '43',
    }).outputs;
    expect(explicit).toMatchObject({
      'source-repository-ref': 'refs/tags/v1',
      'allowed-triggers': 'push, release',
      'caller-workflow': 'acme/api/.github/workflows/release.yml',
      'source-repository-id': '42',
      'source-repository-owner-id': '43',
    });
    const lifted = runStep(step, {
      ...env,
      SOURCE_REF: '*',
      ALLOWED_TRIGGERS: '*',
      SOURCE_ID: '*',
      SOURCE_OWNER_ID: '*',
    }).outputs;
    expect(lifted).toMatchObject({
      'source-repository-ref': '',
      'allowed-triggers': '',
      'source-repository-id': '',
      'source-repository-owner-id': '',
    });
  });

  it('requires the signing run to be from the calling repository unless told another', () => {
    const other = runStep(step, { ...env, SOURCE_REPOSITORY: 'acme/builds', SOURCE_REF: 'refs/heads/main' });
    expect(other.outputs['source-repository']).toBe('acme/builds');
    // the caller's IDs are not the other repository's: not filled in, and said so
    expect(other.outputs['source-repository-id']).toBe('');
    expect(other.stdout).toContain(
      "::warning::input 'source-repository-id' is not set for source-repository acme/builds",
    );
  });

  it('keeps an explicit identity, leaves it empty with a regexp, and maps CycloneDX', () => {
    expect(runStep(step, { ...env, IDENTITY: 'https://x/y.yml@refs/heads/main' }).outputs.identity).toBe(
      'https://x/y.yml@refs/heads/main',
    );
    const regexp = runStep(step, { ...env, IDENTITY_REGEXP: '^https://x/', SBOM_FORMAT: 'cyclonedx-json' });
    expect([regexp.outputs.identity, regexp.outputs['predicate-type']]).toEqual(['', 'cyclonedx']);
  });

  it.each([
    [{ IMAGE: 'ghcr.io/acme/api:v1' }, "input 'image' must be pinned by digest"],
    [{ IMAGE: `ghcr.io/acme/api@sha256:${'b'.repeat(63)}` }, "input 'image' must be pinned by digest"],
    [{ CLOUD: 'gcr' }, "input 'cloud' must be none, ghcr, aws, gcp or azure"],
    [{ SBOM_FORMAT: 'spdx' }, "input 'sbom-format' must be spdx-json or cyclonedx-json"],
    [{ SLIPWAY_SHA: '' }, 'job.workflow_sha is not available on this runner'],
    [{ SOURCE_REPOSITORY: 'https://github.com/acme/api' }, "input 'source-repository' must be OWNER/REPO"],
    [{ SOURCE_REPOSITORY: 'acme/api;id' }, "input 'source-repository' must be OWNER/REPO"],
    [
      { IDENTITY: 'https://x/y.yml@refs/heads/main\nidentity=https://evil' },
      "input 'certificate-identity' contains a line break",
    ],
    [{ IDENTITY_REGEXP: '.*\r' + 'x' }, "input 'certificate-identity-regexp' contains a line break"],
    [
      { CALLER_WORKFLOW: 'a/b/.github/workflows/x.yml\nsource-repository-id=1' },
      "input 'caller-workflow' contains a line break",
    ],
    [{ SOURCE_OWNER_ID: '1\n2' }, "input 'source-repository-owner-id' contains a line break"],
    [
      { SOURCE_REPOSITORY: 'acme/builds' },
      "input 'source-repository-ref' must be set when source-repository names another repository",
    ],
    [{ CALLER_DEFAULT_BRANCH: '' }, 'the event payload names no default branch'],
    [{ CALLER_REPOSITORY_ID: '' }, 'github.repository_id is empty on this runner'],
    [{ ALLOWED_TRIGGERS: '' }, "input 'allowed-triggers' must list event names"],
    [{ SOURCE_ID: '0x1' }, "input 'source-repository-id' must be a numeric ID (or *)"],
    [{ MAX_FAIL_ON: 'high' }, "input 'max-fail-on' must be UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL or none"],
    [{ TRUSTED_ROOT: 'not json' }, "input 'trusted-root' is not a Sigstore TrustedRoot JSON document"],
  ])('rejects %j', (change, message) => {
    const result = runStep(step, { ...env, ...change });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::${message}`);
    expect(result.outputs).toEqual({});
  });
});

describe('pin-check: path input', () => {
  const check = findStep(wf('pin-check.yml'), 'pin-check', 'Check the path input');
  it.each([
    ['.', 0],
    ['services/api', 0],
    ['./tools/', 0],
    ['../other', 1],
    ['a/../../b', 1],
    ['/etc', 1],
    ['a b', 1],
  ])('path %j exits %i', (path, code) => {
    expect(runStep(check, { SCANNED: path }).code).toBe(code);
  });
});

describe('pin-check: fail on findings', () => {
  const step = findStep(wf('pin-check.yml'), 'pin-check', 'Fail on findings at error severity');
  it.each([
    ['true', '0', 0],
    ['true', '', 0],
    ['true', '3', 1],
    ['false', '3', 0],
  ])('fail-on-findings %s with %j errors exits %i', (fail, errors, code) => {
    expect(runStep(step, { FAIL_ON_FINDINGS: fail, ERRORS: errors }).code).toBe(code);
  });
});

describe('release', () => {
  const tag = findStep(wf('release.yml'), 'check', 'Check the tag is vX.Y.Z');
  it.each([
    ['v1.2.3', 0],
    ['v10.0.0', 0],
    ['v1.2', 1],
    ['v1.2.3-rc.1', 1],
    ['v01.2.3', 1],
    ['1.2.3', 1],
  ])('tag %s exits %i', (name, code) => {
    expect(runStep(tag, { TAG: name }).code).toBe(code);
  });

  const move = findStep(wf('release.yml'), 'publish', 'Move the major tag to this commit');
  /** A stand-in for the gh CLI that records its argv and knows which tags exist. */
  const fakeGh = (existing: boolean) => (temp: string) => {
    mkdirSync(join(temp, 'bin'));
    writeFileSync(
      join(temp, 'bin', 'gh'),
      `#!/bin/bash\nprintf '%s\\n' "$*" >>"$RUNNER_TEMP/gh.log"\n` +
        `[[ "$2" == repos/*/git/ref/tags/* ]] && exit ${existing ? 0 : 1}\nexit 0\n`,
    );
    chmodSync(join(temp, 'bin', 'gh'), 0o755);
  };

  it.each([
    [true, `api --method PATCH repos/acme/slipway/git/refs/tags/v2 -f sha=${SHA} -F force=true`],
    [false, `api --method POST repos/acme/slipway/git/refs -f ref=refs/tags/v2 -f sha=${SHA}`],
  ])('with the major tag existing=%s runs gh %s', (existing, call) => {
    const result = runStep(
      move,
      (temp) => ({ PATH: `${temp}/bin:${process.env.PATH}`, REPOSITORY: 'acme/slipway', TAG: 'v2.4.1', SHA }),
      fakeGh(existing),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`moved v2 to ${SHA}\n`);
    expect(readFileSync(join(result.runnerTemp, 'gh.log'), 'utf8')).toBe(
      `api repos/acme/slipway/git/ref/tags/v2\n${call}\n`,
    );
  });
});

it('parseOutputFile reads name=value lines and heredoc blocks', () => {
  expect(parseOutputFile('a=1\nb<<EOF\nx\ny\nEOF\nc=d=e\n')).toEqual({ a: '1', b: 'x\ny', c: 'd=e' });
});
