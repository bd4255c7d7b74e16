/**
 * The apply job's "Signing identity and trusted root" step of terraform.yml, run as the runner
 * runs it (bash, GITHUB_OUTPUT), with the regexp it derives checked by the matcher tf-apply uses
 * (identity-policy.ts: anchored, JavaScript and RE2 syntax): with no certificate-identity and no
 * certificate-identity-regexp, only the certificate of Slipway's own terraform.yml, of the
 * repository the job's workflow came from, at any ref, seals an applicable plan.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identityMismatch, validateIdentityPolicy } from '@slipway/supply-chain/signing';
import { slipwayAtHead } from './local-repos.ts';
import { runShellStep } from './shell-step.ts';
import { readWorkflow } from './workflow-file.ts';

const STEP = 'Signing identity and trusted root';
const step = readWorkflow(slipwayAtHead().workflow('terraform.yml')).jobs.apply!.steps!.find(
  (s) => s.name === STEP,
)!;
const temp = mkdtempSync(join(tmpdir(), 'tf-identity-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let runs = 0;
async function trust(env: Record<string, string>) {
  const result = await runShellStep({
    label: `trust-${++runs}`,
    script: step.run!,
    shell: step.shell,
    env: {
      PATH: process.env.PATH ?? '',
      RUNNER_TEMP: temp,
      IDENTITY: '',
      IDENTITY_REGEXP: '',
      TRUSTED_ROOT: '',
      SERVER_URL: 'https://github.com',
      SLIPWAY_REPOSITORY: 'slipway-org/slipway',
      ...env,
    },
    cwd: temp,
    runnerTemp: temp,
    timeoutMs: 30_000,
  });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.outputs;
}

const accepts = (regexp: string, san: string) => {
  validateIdentityPolicy({ identityRegexp: regexp });
  return identityMismatch({ identityRegexp: regexp }, { subjectAlternativeName: san }) === undefined;
};

describe("terraform.yml's default signing identity", () => {
  it('accepts only terraform.yml of the workflow repository on this server, at any ref', async () => {
    const { 'identity-regexp': regexp } = await trust({});
    expect(regexp).toBeTruthy();
    const workflow = 'https://github.com/slipway-org/slipway/.github/workflows/terraform.yml';
    for (const ref of ['refs/tags/v1.4.0', 'refs/heads/main', '0123456789abcdef0123456789abcdef01234567'])
      expect(accepts(regexp!, `${workflow}@${ref}`), ref).toBe(true);
    for (const san of [
      workflow, // no ref
      'https://github.com/slipway-org/slipway-fork/.github/workflows/terraform.yml@refs/heads/main',
      'https://github.com/evil/slipway-org/slipway/.github/workflows/terraform.yml@refs/heads/main',
      'https://github.com/slipway-org/slipway/.github/workflows/terraformXyml@refs/heads/main',
      'https://github.com/slipway-org/slipway/.github/workflows/release.yml@refs/heads/main',
      'https://githubXcom/slipway-org/slipway/.github/workflows/terraform.yml@refs/heads/main',
      `https://evil.example/?${workflow}@refs/heads/main`,
      `${workflow}@refs/heads/main\nhttps://evil.example`,
      'https://github.com/acme/infra/.github/workflows/terraform.yml@refs/heads/main', // the caller's own file
    ])
      expect(accepts(regexp!, san), san).toBe(false);
  });

  it('escapes the server and repository names of a GitHub Enterprise Server', async () => {
    const { 'identity-regexp': regexp } = await trust({
      SERVER_URL: 'https://ghe.example.com:8443',
      SLIPWAY_REPOSITORY: 'platform/slip.way+x',
    });
    const workflow = 'https://ghe.example.com:8443/platform/slip.way+x/.github/workflows/terraform.yml';
    expect(accepts(regexp!, `${workflow}@refs/tags/v2`)).toBe(true);
    expect(
      accepts(
        regexp!,
        `https://ghe.example.com:8443/platform/slipXway+x/.github/workflows/terraform.yml@refs/tags/v2`,
      ),
    ).toBe(false);
    expect(
      accepts(regexp!, `https://gheXexample.com:8443/platform/slip.way+x/.github/workflows/terraform.yml@v2`),
    ).toBe(false);
    expect(
      accepts(regexp!, `https://ghe.example.com:8443/platform/slip.wayyx/.github/workflows/terraform.yml@v2`),
    ).toBe(false);
  });

  it('passes a given regexp through, adds none next to an exact identity, and writes a trusted root', async () => {
    expect(await trust({ IDENTITY_REGEXP: '^https://example\\.com/x@.+$' })).toMatchObject({
      'identity-regexp': '^https://example\\.com/x@.+$',
    });
    const exact = await trust({ IDENTITY: 'https://example.com/x@refs/heads/main', TRUSTED_ROOT: '{"a":1}' });
    expect(exact['identity-regexp']).toBe('');
    expect(readFileSync(exact['trusted-root']!, 'utf8')).toBe('{"a":1}\n');
  });
});
