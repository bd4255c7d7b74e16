/**
 * A second cosign stand-in for the deploy-gate job test, served by the release-asset
 * double with its own lock file. Like the double's stand-in it records argv (same
 * STANDIN_ARGV_LOG format); unlike it, `verify` and `verify-attestation` print what
 * cosign prints on success for the digest after `--` (a simple-signing payload; a DSSE
 * envelope whose statement has the predicate type of `--type`, a name or a URI, with a passing
 * gate-policy predicate for the gate-policy type and an empty one otherwise). It verifies NOTHING: it
 * exists so both verify steps of the job run and their argv can be asserted. The
 * double's own stand-in (which prints nothing, so verify refuses it) is used for the
 * failure path; verification itself is tested in test/integration/verify.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PREDICATE_TYPES } from '@slipway/supply-chain/signing';
import { assetName, TOOL_ARCHES, TOOL_PLATFORMS, toolRelease } from '@slipway/supply-chain/tools';
import type { ToolReleases } from '../doubles/release-assets/action-env.ts';
import { buildRelease, lockFor, type BuiltRelease } from '../doubles/release-assets/release-assets.ts';
import { startReleaseServer } from '../doubles/release-assets/release-server.ts';

/** What build-sign-push attests with its defaults (fail-on HIGH): the stand-in prints it for a gate-policy type. */
export const PASSING_GATE_POLICY = {
  scanner: { name: 'trivy', version: '0.74.0', dbVersion: null },
  policy: { failOn: 'HIGH', ignoreUnfixed: false, severity: 'UNKNOWN' },
  result: { gate: 'pass', findings: 0, counts: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 } },
};

const program = (version: string) => `#!/usr/bin/env node
'use strict';
const { appendFileSync } = require('node:fs');
const argv = process.argv.slice(2);
if (process.env.STANDIN_ARGV_LOG) appendFileSync(process.env.STANDIN_ARGV_LOG, JSON.stringify({ tool: 'cosign', argv }) + '\\n');
if (argv[0] === 'version' || argv[0] === '--version') { console.log('Version: ${version}'); process.exit(0); }
const image = argv[argv.indexOf('--') + 1] || '';
const [name, digest] = [image.slice(0, image.indexOf('@')), image.slice(image.indexOf('@') + 1)];
if (argv[0] === 'verify') {
  console.log(JSON.stringify([{ critical: { identity: { 'docker-reference': name }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null }]));
} else if (argv[0] === 'verify-attestation') {
  const type = argv[argv.indexOf('--type') + 1];
  const predicateType = (${JSON.stringify(PREDICATE_TYPES)})[type] || type;
  const predicate = predicateType === ${JSON.stringify(PREDICATE_TYPES['gate-policy'])} ? ${JSON.stringify(PASSING_GATE_POLICY)} : {};
  const statement = { _type: 'https://in-toto.io/Statement/v0.1', predicateType, subject: [{ name, digest: { sha256: digest.replace('sha256:', '') } }], predicate };
  console.log(JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(JSON.stringify(statement)).toString('base64'), signatures: [{ keyid: '', sig: '' }] }));
}
`;

export async function startVouchingCosignReleases(version = '3.1.3'): Promise<ToolReleases> {
  const release = toolRelease('cosign', version);
  const prefix = `/${release.owner}/${release.repo}/releases/download/${release.tag}`;
  const body = Buffer.from(program(release.version));
  const digest = createHash('sha256').update(body).digest('hex');
  const built: BuiltRelease = { tool: 'cosign', version: release.version, files: [], sha256: new Map() };
  for (const platform of TOOL_PLATFORMS) {
    for (const arch of TOOL_ARCHES) {
      if (platform === 'windows' && arch === 'arm64') continue;
      const name = assetName('cosign', release.version, platform, arch);
      built.files.push({ path: `${prefix}/${name}`, name, body });
      built.sha256.set(name, digest);
    }
  }
  const checksums = [...built.sha256].map(([name, sha]) => `${sha}  ${name}\n`).join('');
  built.files.push({
    path: `${prefix}/${release.checksumsAsset}`,
    name: release.checksumsAsset,
    body: Buffer.from(checksums),
  });
  const lockPath = join(mkdtempSync(join(tmpdir(), 'vouching-cosign-')), 'tools.lock.json');
  // the lock file covers every tool; trivy and syft are the double's own stand-ins
  const releases = [buildRelease('trivy', '0.74.0'), buildRelease('syft', '1.51.0'), built];
  writeFileSync(lockPath, JSON.stringify(lockFor(releases), null, 2));
  return { server: await startReleaseServer(releases), releases, lockPath };
}
