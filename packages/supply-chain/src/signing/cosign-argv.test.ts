import { describe, expect, it } from 'vitest';
import {
  attestArgv,
  constraintsCosignCannotCheck,
  signArgv,
  verifyArgv,
  verifyAttestationArgv,
} from './cosign-argv.ts';

const IMG = `ghcr.io/octo-org/app@sha256:${'a'.repeat(64)}`;
const PUBLIC = {
  fulcioUrl: 'https://fulcio.sigstore.dev',
  rekorUrl: 'https://rekor.sigstore.dev',
  tlogUpload: true,
};
const B = '/tmp/rt/slipway-cosign-x/bundle.sigstore.json';
const ID = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const GH = 'https://token.actions.githubusercontent.com';

describe('signArgv', () => {
  it.each([
    ['keyless, public good', { ...PUBLIC }, ['sign', '--yes', '--bundle', B, '--', IMG]],
    [
      'keyless, private Sigstore',
      { fulcioUrl: 'https://fulcio.corp', rekorUrl: 'https://rekor.corp', tlogUpload: true },
      [
        'sign',
        '--yes',
        '--use-signing-config=false',
        '--fulcio-url',
        'https://fulcio.corp',
        '--rekor-url',
        'https://rekor.corp',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
    [
      'keyless, no tlog',
      { ...PUBLIC, tlogUpload: false },
      [
        'sign',
        '--yes',
        '--use-signing-config=false',
        '--fulcio-url',
        'https://fulcio.sigstore.dev',
        '--tlog-upload=false',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
    [
      'keyless, private Sigstore with its trusted root (checked by cosign after signing)',
      {
        fulcioUrl: 'http://127.0.0.1:1',
        rekorUrl: 'http://127.0.0.1:1',
        tlogUpload: true,
        trustedRootPath: '/ws/trusted_root.json',
      },
      [
        'sign',
        '--yes',
        '--use-signing-config=false',
        '--fulcio-url',
        'http://127.0.0.1:1',
        '--rekor-url',
        'http://127.0.0.1:1',
        '--trusted-root',
        '/ws/trusted_root.json',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
    [
      'KMS key',
      { ...PUBLIC, key: { kind: 'kms', uri: 'awskms:///arn:aws:kms:eu-west-1:1:key/k' } },
      ['sign', '--yes', '--key', 'awskms:///arn:aws:kms:eu-west-1:1:key/k', '--bundle', B, '--', IMG],
    ],
    [
      'key file, own Rekor',
      { ...PUBLIC, rekorUrl: 'https://rekor.corp', key: { kind: 'file', path: '/tmp/rt/k/cosign.key' } },
      [
        'sign',
        '--yes',
        '--key',
        '/tmp/rt/k/cosign.key',
        '--use-signing-config=false',
        '--rekor-url',
        'https://rekor.corp',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
    [
      'a hostile-looking value stays one argv entry',
      { ...PUBLIC, key: { kind: 'file', path: '/tmp/a b;$(rm -rf ~)/--yes' } },
      ['sign', '--yes', '--key', '/tmp/a b;$(rm -rf ~)/--yes', '--bundle', B, '--', IMG],
    ],
  ] as const)('%s', (_name, extra, expected) => {
    expect(signArgv({ image: IMG, bundlePath: B, ...extra })).toEqual(expected);
  });
});

describe('attestArgv', () => {
  it.each([
    [
      'spdxjson keyless',
      { ...PUBLIC, type: 'spdxjson', predicatePath: '/ws/sbom.spdx.json' },
      [
        'attest',
        '--yes',
        '--type',
        'spdxjson',
        '--predicate',
        '/ws/sbom.spdx.json',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
    [
      'cyclonedx with a KMS key',
      {
        ...PUBLIC,
        type: 'cyclonedx',
        predicatePath: 'bom.json',
        key: { kind: 'kms', uri: 'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k' },
      },
      [
        'attest',
        '--yes',
        '--type',
        'cyclonedx',
        '--predicate',
        'bom.json',
        '--key',
        'gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
    [
      'slsaprovenance, private Sigstore',
      {
        fulcioUrl: 'http://127.0.0.1:1',
        rekorUrl: 'http://127.0.0.1:2',
        tlogUpload: true,
        type: 'slsaprovenance',
        predicatePath: 'prov.json',
      },
      [
        'attest',
        '--yes',
        '--type',
        'slsaprovenance',
        '--predicate',
        'prov.json',
        '--use-signing-config=false',
        '--fulcio-url',
        'http://127.0.0.1:1',
        '--rekor-url',
        'http://127.0.0.1:2',
        '--bundle',
        B,
        '--',
        IMG,
      ],
    ],
  ] as const)('%s', (_name, extra, expected) => {
    expect(attestArgv({ image: IMG, bundlePath: B, ...extra })).toEqual(expected);
  });
});

describe('verifyArgv and verifyAttestationArgv', () => {
  it.each([
    [
      'exact identity and issuer',
      { policy: { identity: ID, issuer: GH }, ignoreSct: false },
      [
        'verify',
        '--certificate-identity',
        ID,
        '--certificate-oidc-issuer',
        GH,
        '--output',
        'json',
        '--',
        IMG,
      ],
    ],
    [
      'identity regexp, issuer regexp, own trust root, no SCT',
      {
        policy: {
          identityRegexp: '^https://github.com/octo-org/',
          issuerRegexp: '^https://token\\.actions\\.',
        },
        trustedRootPath: '/rt/root.json',
        ignoreSct: true,
      },
      [
        'verify',
        '--certificate-identity-regexp',
        '^(?:^https://github.com/octo-org/)$',
        '--certificate-oidc-issuer-regexp',
        '^(?:^https://token\\.actions\\.)$',
        '--trusted-root',
        '/rt/root.json',
        '--insecure-ignore-sct',
        '--output',
        'json',
        '--',
        IMG,
      ],
    ],
    [
      'identity with the workflow repository of the caller',
      { policy: { identity: ID, issuer: GH, sourceRepository: 'octo-org/app' }, ignoreSct: false },
      [
        'verify',
        '--certificate-identity',
        ID,
        '--certificate-oidc-issuer',
        GH,
        '--certificate-github-workflow-repository',
        'octo-org/app',
        '--output',
        'json',
        '--',
        IMG,
      ],
    ],
    [
      "ref and a single trigger: the legacy claims cosign checks (the caller's, for a reusable workflow)",
      {
        policy: {
          identity: ID,
          issuer: GH,
          sourceRepository: 'octo-org/app',
          sourceRepositoryRef: 'refs/heads/main',
          allowedTriggers: ['push'],
        },
        ignoreSct: false,
      },
      [
        'verify',
        '--certificate-identity',
        ID,
        '--certificate-oidc-issuer',
        GH,
        '--certificate-github-workflow-repository',
        'octo-org/app',
        '--certificate-github-workflow-ref',
        'refs/heads/main',
        '--certificate-github-workflow-trigger',
        'push',
        '--output',
        'json',
        '--',
        IMG,
      ],
    ],
    [
      'several triggers: no trigger flag (checked natively)',
      { policy: { identity: ID, issuer: GH, allowedTriggers: ['push', 'release'] }, ignoreSct: false },
      [
        'verify',
        '--certificate-identity',
        ID,
        '--certificate-oidc-issuer',
        GH,
        '--output',
        'json',
        '--',
        IMG,
      ],
    ],
    [
      'public key file',
      { key: { kind: 'file', path: '/rt/k/cosign.key' }, ignoreSct: false },
      ['verify', '--key', '/rt/k/cosign.key', '--output', 'json', '--', IMG],
    ],
    [
      'public key, signature without a Rekor entry',
      { key: { kind: 'file', path: '/rt/k/cosign.pub' }, ignoreSct: false, ignoreTlog: true },
      ['verify', '--key', '/rt/k/cosign.pub', '--insecure-ignore-tlog=true', '--output', 'json', '--', IMG],
    ],
  ] as const)('verify: %s', (_name, extra, expected) => {
    expect(verifyArgv({ image: IMG, ...extra })).toEqual(expected);
  });

  it('verify-attestation adds the type first', () => {
    expect(
      verifyAttestationArgv({
        image: IMG,
        type: 'cyclonedx',
        policy: { identity: ID, issuer: GH },
        ignoreSct: false,
      }),
    ).toEqual([
      'verify-attestation',
      '--type',
      'cyclonedx',
      '--certificate-identity',
      ID,
      '--certificate-oidc-issuer',
      GH,
      '--output',
      'json',
      '--',
      IMG,
    ]);
  });
});

describe('constraintsCosignCannotCheck', () => {
  it('names the constraints cosign has no flag for', () => {
    expect(
      constraintsCosignCannotCheck({
        identity: ID,
        sourceRepository: 'o/r',
        sourceRepositoryRef: 'refs/heads/main',
        allowedTriggers: ['push'],
      }),
    ).toEqual([]);
    expect(
      constraintsCosignCannotCheck({
        identity: ID,
        callerWorkflow: 'o/r/.github/workflows/x.yml',
        sourceRepositoryId: '1',
        sourceRepositoryOwnerId: '2',
        allowedTriggers: ['push', 'release'],
      }),
    ).toEqual([
      'caller-workflow',
      'source-repository-id',
      'source-repository-owner-id',
      'allowed-triggers (more than one)',
    ]);
    expect(constraintsCosignCannotCheck(undefined)).toEqual([]);
  });
});
