import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImageReference } from '../registry/image-reference.ts';
import type { ResolvedImage } from '../registry/resolve-digest.ts';
import { cosignSign, cosignVerify, type CosignRuntime, type ExecFn } from './cosign-engine.ts';
import { gatePolicyMismatch } from './gate-policy.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

const DIGEST = 'sha256:7a91c50d922925f152fec96ed1d84b7bc6b2079c169d68826f6cf307f22d40e6';
const image: ResolvedImage = {
  reference: parseImageReference('localhost:5000/tcpconnect:test'),
  digest: DIGEST,
  pinned: `localhost:5000/tcpconnect@${DIGEST}`,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  resolvedFromTag: true,
};
const services = {
  fulcioUrl: 'https://fulcio.sigstore.dev',
  rekorUrl: 'https://rekor.sigstore.dev',
  tlogUpload: true,
  timeoutMs: 1000,
};
const PEM =
  '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAAsecretkeymaterial\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n';
const fixture = (name: string) => readFileSync(sharedFixture(`cosign/${name}`), 'utf8');

interface Call {
  command: string;
  args: string[];
  env: Record<string, string>;
  keyFile?: { content: string; mode: number };
}

function runtime(
  answer: (args: string[]) => { exitCode: number; stdout?: string; stderr?: string; bundle?: string },
) {
  const tempDir = mkdtempSync(join(tmpdir(), 'slipway-cosign-test-'));
  const calls: Call[] = [];
  const masked: string[] = [];
  const exec: ExecFn = async (command, args, options) => {
    const call: Call = { command, args, env: options.env };
    const key = args[args.indexOf('--key') + 1];
    if (args.includes('--key') && key && existsSync(key)) {
      call.keyFile = { content: readFileSync(key, 'utf8'), mode: statSync(key).mode & 0o777 };
    }
    calls.push(call);
    const result = answer(args);
    const bundleAt = args.indexOf('--bundle');
    if (result.bundle && bundleAt !== -1) writeFileSync(args[bundleAt + 1] as string, result.bundle);
    return { exitCode: result.exitCode, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  };
  const rt: CosignRuntime = {
    cosignPath: '/tools/cosign',
    exec,
    tempDir,
    env: { PATH: '/usr/bin', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://x' },
    mask: (v) => masked.push(v),
  };
  return { rt, calls, masked, tempDir };
}

describe('cosignSign', () => {
  it('signs keyless and reads the log index from the bundle cosign wrote', async () => {
    const { rt, calls, tempDir } = runtime(() => ({
      exitCode: 0,
      bundle: fixture('oci-attestation.sigstore.json'),
    }));
    const result = await cosignSign(rt, image, { services });
    expect(result.logIndex).toBe('175508996');
    expect(calls).toHaveLength(1);
    const bundlePath = calls[0]?.args[3] as string;
    expect(calls[0]?.command).toBe('/tools/cosign');
    expect(calls[0]?.args).toEqual(['sign', '--yes', '--bundle', bundlePath, '--', image.pinned]);
    expect(bundlePath.startsWith(join(tempDir, 'slipway-cosign-'))).toBe(true);
    expect(calls[0]?.env).toEqual(rt.env);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('falls back to the stderr line when no bundle was written', async () => {
    const { rt } = runtime(() => ({ exitCode: 0, stderr: 'tlog entry created with index: 42\n' }));
    expect(await cosignSign(rt, image, { services })).toEqual({ logIndex: '42' });
  });

  it('writes a PEM key for the run only (0600), passes the password in env, masks both', async () => {
    const { rt, calls, masked, tempDir } = runtime(() => ({ exitCode: 0 }));
    await cosignSign(rt, image, { services, key: { kind: 'pem', pem: PEM, password: 'hunter2-pass' } });
    expect(calls[0]?.keyFile).toEqual({ content: PEM, mode: 0o600 });
    expect(calls[0]?.env.COSIGN_PASSWORD).toBe('hunter2-pass');
    expect(calls[0]?.args.join(' ')).not.toContain('hunter2');
    expect(masked).toContain(PEM);
    expect(masked).toContain('AAAAsecretkeymaterial');
    expect(masked).toContain('hunter2-pass');
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('removes the key file even when cosign fails, and reports its stderr', async () => {
    const { rt, tempDir } = runtime(() => ({
      exitCode: 1,
      stderr:
        'Error: signing [x]: getting signer: reading key: decrypt: encrypted: decryption failed\nmain.go:74: error during command execution',
    }));
    await expect(cosignSign(rt, image, { services, key: { kind: 'pem', pem: PEM } })).rejects.toThrow(
      'cosign sign failed (exit 1):\nError: signing [x]: getting signer: reading key: decrypt: encrypted: decryption failed\nmain.go:74: error during command execution',
    );
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('sets an empty COSIGN_PASSWORD for a key without one (no prompt)', async () => {
    const { rt, calls } = runtime(() => ({ exitCode: 0 }));
    await cosignSign(rt, image, { services, key: { kind: 'pem', pem: PEM } });
    expect(calls[0]?.env.COSIGN_PASSWORD).toBe('');
  });

  it('refuses a key that is not PEM before running cosign', async () => {
    const { rt, calls } = runtime(() => ({ exitCode: 0 }));
    await expect(cosignSign(rt, image, { services, key: { kind: 'pem', pem: 'not a key' } })).rejects.toThrow(
      "Input 'private-key' is not a PEM key",
    );
    expect(calls).toEqual([]);
  });

  it('attests with the predicate file and type', async () => {
    const { rt, calls } = runtime(() => ({ exitCode: 0 }));
    await cosignSign(rt, image, {
      services,
      key: { kind: 'kms', uri: 'awskms:///alias/release' },
      predicate: {
        kind: 'cyclonedx',
        predicateType: 'https://cyclonedx.org/bom',
        content: {},
        path: '/ws/bom.json',
      },
    });
    expect(calls[0]?.args.slice(0, 8)).toEqual([
      'attest',
      '--yes',
      '--type',
      'cyclonedx',
      '--predicate',
      '/ws/bom.json',
      '--key',
      'awskms:///alias/release',
    ]);
  });
});

describe('cosignVerify', () => {
  const policy = {
    identity: 'https://github.com/o/r/.github/workflows/x.yml@refs/heads/main',
    issuer: 'https://token.actions.githubusercontent.com',
  };

  it('counts the verified payloads about the digest', async () => {
    const { rt, calls } = runtime(() => ({ exitCode: 0, stdout: fixture('verify-output.json') }));
    expect(await cosignVerify(rt, image, { policy, ignoreSct: false })).toBe(1);
    expect(calls[0]?.args).toEqual([
      'verify',
      '--certificate-identity',
      policy.identity,
      '--certificate-oidc-issuer',
      policy.issuer,
      '--output',
      'json',
      '--',
      image.pinned,
    ]);
  });

  it('fails the step when cosign rejects the signature', async () => {
    const { rt } = runtime(() => ({
      exitCode: 1,
      stderr:
        'Error: no matching signatures: none of the expected identities matched what was in the certificate',
    }));
    await expect(cosignVerify(rt, image, { policy, ignoreSct: false })).rejects.toThrow(
      'cosign verify failed (exit 1):\nError: no matching signatures: none of the expected identities matched what was in the certificate',
    );
  });

  it('fails when cosign exits 0 but printed nothing about the digest', async () => {
    const { rt } = runtime(() => ({ exitCode: 0, stdout: '' }));
    await expect(cosignVerify(rt, image, { policy, ignoreSct: false })).rejects.toThrow(
      `Verification failed: cosign verify printed no signature payload for ${DIGEST} (stdout: )`,
    );
    const other = runtime(() => ({ exitCode: 0, stdout: '' }));
    await expect(
      cosignVerify(other.rt, image, { policy, ignoreSct: false, predicate: 'spdxjson' }),
    ).rejects.toThrow(`Verification failed: cosign verify-attestation printed no statement about ${DIGEST}`);
  });

  it('gate-policy: counts only the statements whose predicate is acceptable, and fails when none is', async () => {
    const envelope = (failOn: string) =>
      JSON.stringify({
        payloadType: 'application/vnd.in-toto+json',
        payload: Buffer.from(
          JSON.stringify({
            _type: 'https://in-toto.io/Statement/v1',
            predicateType: 'https://slipway.dev/attestations/gate-policy/v1',
            subject: [{ name: 'x', digest: { sha256: DIGEST.slice('sha256:'.length) } }],
            predicate: {
              scanner: { name: 'trivy' },
              policy: { failOn, ignoreUnfixed: false },
              result: { gate: 'pass' },
            },
          }),
        ).toString('base64'),
        signatures: [],
      });
    const required = { maxFailOn: 'HIGH', allowIgnoreUnfixed: true } as const;
    const rejectStatement = (s: { predicate: unknown }) => gatePolicyMismatch(s.predicate, required);
    const both = runtime(() => ({ exitCode: 0, stdout: `${envelope('none')}\n${envelope('HIGH')}\n` }));
    expect(
      await cosignVerify(both.rt, image, {
        policy,
        ignoreSct: false,
        predicate: 'gate-policy',
        rejectStatement,
      }),
    ).toBe(1);
    expect(both.calls[0]?.args.slice(0, 3)).toEqual([
      'verify-attestation',
      '--type',
      'https://slipway.dev/attestations/gate-policy/v1',
    ]);
    const weak = runtime(() => ({ exitCode: 0, stdout: `${envelope('none')}\n` }));
    await expect(
      cosignVerify(weak.rt, image, { policy, ignoreSct: false, predicate: 'gate-policy', rejectStatement }),
    ).rejects.toThrow(
      'cosign verified 1 gate-policy attestation(s), and none has an acceptable predicate:\n  - the image was scanned with fail-on none (the gate never fails); at most HIGH is required',
    );
  });
});
