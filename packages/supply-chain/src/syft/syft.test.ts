import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { purlType, summariseSbom } from './sbom-documents.ts';
import { sbomSummaryMarkdown } from './generate-sbom.ts';
import { registryImageRef, syftScanArgv, type SbomOutput, type SbomSource } from './syft-args.ts';
import { sharedFixture } from '../../../../test/shared-fixtures.ts';

const shared = (path: string) => readFileSync(sharedFixture(`${path}`), 'utf8');

describe('syftScanArgv: inputs -> exact syft argv', () => {
  it.each<[string, SbomSource, SbomOutput[], string[]]>([
    [
      'an image, one format',
      { kind: 'image', ref: 'ghcr.io/o/app@sha256:abc' },
      [{ format: 'spdx-json', path: '/w/sbom.spdx.json' }],
      ['scan', '--output', 'spdx-json=/w/sbom.spdx.json', '--', 'ghcr.io/o/app@sha256:abc'],
    ],
    [
      'a directory, both formats',
      { kind: 'dir', path: '/w/src' },
      [
        { format: 'spdx-json', path: '/w/out/sbom.spdx.json' },
        { format: 'cyclonedx-json', path: '/w/out/sbom.cyclonedx.json' },
      ],
      [
        'scan',
        '--output',
        'spdx-json=/w/out/sbom.spdx.json',
        '--output',
        'cyclonedx-json=/w/out/sbom.cyclonedx.json',
        '--',
        'dir:/w/src',
      ],
    ],
    [
      'a single file',
      { kind: 'file', path: '/w/app.jar' },
      [{ format: 'cyclonedx-json', path: '/w/a b.json' }],
      ['scan', '--output', 'cyclonedx-json=/w/a b.json', '--', 'file:/w/app.jar'],
    ],
    [
      'an image value that looks like a flag stays the source',
      { kind: 'image', ref: '--help' },
      [{ format: 'spdx-json', path: '/s' }],
      ['scan', '--output', 'spdx-json=/s', '--', '--help'],
    ],
  ])('%s', (_name, source, outputs, expected) => {
    expect(syftScanArgv(source, outputs)).toEqual(expected);
  });
});

describe('summariseSbom on real syft and trivy documents', () => {
  it.each([
    ['syft/image.spdx.json', 'spdx-json', 2, { deb: 1, unknown: 1 }],
    ['syft/directory.spdx.json', 'spdx-json', 2, { deb: 1, unknown: 1 }],
    // the distro's operating-system component is not a package: the same 2 as in SPDX
    ['syft/image.cyclonedx.json', 'cyclonedx-json', 2, { deb: 1, python: 1 }],
    ['syft/directory.cyclonedx.json', 'cyclonedx-json', 2, { deb: 1, python: 1 }],
    ['trivy/conda-spdx.json', 'spdx-json', 2, { conda: 2 }],
    ['trivy/conda-cyclonedx.json', 'cyclonedx-json', 2, { conda: 2 }],
    // the package-lock.json `application` component is not a package
    ['trivy/npm-cyclonedx.json', 'cyclonedx-json', 12, { npm: 12 }],
  ])('%s', (file, format, packages, byType) => {
    expect(summariseSbom(shared(file), file)).toEqual({ format, packages, byType });
  });

  it('counts CycloneDX components with a package URL or a syft package type (purl type first), not the files and distro syft lists', () => {
    const doc = {
      bomFormat: 'CycloneDX',
      specVersion: '1.7',
      components: [
        { type: 'library', name: 'musl', purl: 'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64' },
        { type: 'library', name: 'x', properties: [{ name: 'syft:package:type', value: 'binary' }] },
        {
          type: 'library',
          name: 'golang.org/x/text',
          purl: 'pkg:golang/golang.org/x/text@v0.14.0',
          properties: [{ name: 'syft:package:type', value: 'go-module' }],
        },
        { type: 'library', name: 'y', purl: 'not-a-purl' },
        { type: 'operating-system', name: 'alpine', version: '3.20.3' },
        { type: 'file', name: '/lib/apk/db/installed' },
        { type: 'file', name: '/app/package.json' },
      ],
    };
    expect(summariseSbom(JSON.stringify(doc), 'c.json')).toEqual({
      format: 'cyclonedx-json',
      packages: 4,
      byType: { apk: 1, binary: 1, golang: 1, unknown: 1 },
    });
  });

  it('refuses a Trivy JSON report', () => {
    expect(() => summariseSbom(shared('trivy/alpine-310.json'), 'x.json')).toThrow(
      'x.json is neither an SPDX JSON nor a CycloneDX JSON document.',
    );
  });

  it.each([
    ['pkg:deb/debian/package-2@2.0.1', 'deb'],
    ['pkg:NPM/%40scope/x@1', 'npm'],
    ['a-purl-1', undefined],
    ['pkg:', undefined],
    [undefined, undefined],
  ])('purlType(%j) = %j', (purl, type) => {
    expect(purlType(purl)).toBe(type);
  });
});

describe('sbomSummaryMarkdown', () => {
  it('lists files and package types of the first document', () => {
    const spdx = summariseSbom(shared('syft/image.spdx.json'), 'a');
    const cdx = summariseSbom(shared('syft/image.cyclonedx.json'), 'b');
    expect(
      sbomSummaryMarkdown('alpine:3', {
        documents: [
          { format: 'cyclonedx-json', path: 'sbom.cyclonedx.json', summary: cdx },
          { format: 'spdx-json', path: 'sbom.spdx.json', summary: spdx },
        ],
      }),
    ).toBe(
      [
        '### SBOM: `alpine:3`',
        '',
        '| Format | File | Packages |',
        '| --- | --- | --- |',
        '| cyclonedx-json | sbom.cyclonedx.json | 2 |',
        '| spdx-json | sbom.spdx.json | 2 |',
        '',
        '#### Packages by type (cyclonedx-json)',
        '',
        '| Type | Packages |',
        '| --- | --- |',
        '| deb | 1 |',
        '| python | 1 |',
        '',
      ].join('\n'),
    );
  });
});

describe('registryImageRef: which image sources can be an index in a registry', () => {
  it('a plain reference and registry: are looked up (the scheme kept for each platform digest); local sources are not', () => {
    expect(registryImageRef('ghcr.io/octo/app:1')).toEqual({ ref: 'ghcr.io/octo/app:1', scheme: '' });
    expect(registryImageRef('127.0.0.1:5000/app@sha256:' + 'a'.repeat(64))).toEqual({
      ref: '127.0.0.1:5000/app@sha256:' + 'a'.repeat(64),
      scheme: '',
    });
    expect(registryImageRef('registry:ghcr.io/octo/app:1')).toEqual({
      ref: 'ghcr.io/octo/app:1',
      scheme: 'registry:',
    });
    for (const local of ['docker:app:1', 'oci-archive:/tmp/a.tar', 'oci-dir:/tmp/l', 'podman:app', 'dir:/x'])
      expect(registryImageRef(local)).toBeUndefined();
  });
});

describe('sbomSummaryMarkdown for an image index', () => {
  it('has a row per platform image and format, with its digest', () => {
    const summary = { format: 'spdx-json' as const, packages: 2, byType: { npm: 2 } };
    const markdown = sbomSummaryMarkdown('reg.test/app@sha256:index', {
      documents: [
        {
          format: 'spdx-json',
          path: '/ws/sbom.linux-amd64.spdx.json',
          summary,
          platform: 'linux/amd64',
          digest: 'sha256:aa',
        },
        {
          format: 'spdx-json',
          path: '/ws/sbom.linux-arm64.spdx.json',
          summary,
          platform: 'linux/arm64',
          digest: 'sha256:bb',
        },
      ],
    });
    expect(markdown).toContain('| Platform | Digest | Format | File | Packages |');
    expect(markdown).toContain(
      '| linux/arm64 | `sha256:bb` | spdx-json | /ws/sbom.linux-arm64.spdx.json | 2 |',
    );
  });
});
