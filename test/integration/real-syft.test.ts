/**
 * The sbom action's committed bundle with the REAL syft (built from its Go module by
 * scripts/real-tools.js), installed by the action's own installer from the release-asset double
 * (syft's archive layout, sha256 in a test lock file), cataloguing an OCI image built here with
 * umoci and pushed to the loopback docker-registry, and a directory. Package lists are compared
 * with what the image and the folder hold; both documents are checked against their JSON schemas.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runnerPlatform } from '@slipway/supply-chain/tools';
import { runAction } from '../harness/run-action.ts';
import { startRegistry, type RegistryServer } from '../doubles/oci-registry/registry-server.ts';
import {
  simulatedRunner,
  type SimulatedRunner,
  type ToolReleases,
} from '../doubles/release-assets/action-env.ts';
import {
  ALPINE_VERSION,
  APK_PACKAGES,
  APP_NAME,
  APP_VERSION,
  NPM_PACKAGES,
  packageLock,
  pushAlpineNpmImage,
} from './support/alpine-npm-image.ts';
import { startRealSyftReleases, type RealSyftReleases } from './support/real-syft-release.ts';
import { cycloneDxSchemaErrors, spdx23SchemaErrors } from './support/sbom-schemas.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/sbom');
const TIMEOUT = 120_000;

interface SpdxDoc {
  spdxVersion: string;
  SPDXID: string;
  creationInfo: { creators: string[] };
  documentDescribes?: string[];
  packages: {
    SPDXID: string;
    name: string;
    versionInfo?: string;
    externalRefs?: { referenceType: string; referenceLocator: string }[];
  }[];
  relationships?: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
}

interface CdxDoc {
  specVersion: string;
  metadata: { tools: { components: { name: string; version: string }[] }; component?: { name: string } };
  components: { type: string; name: string; version?: string; purl?: string }[];
}

/** `name@version purl` of every package except the document's own subject, sorted. */
function spdxPackages(doc: SpdxDoc): string[] {
  const described = new Set([
    ...(doc.documentDescribes ?? []),
    ...(doc.relationships ?? [])
      .filter((r) => r.spdxElementId === doc.SPDXID && r.relationshipType === 'DESCRIBES')
      .map((r) => r.relatedSpdxElement),
  ]);
  return doc.packages
    .filter((p) => !described.has(p.SPDXID))
    .map(
      (p) =>
        `${p.name}@${p.versionInfo} ${p.externalRefs?.find((r) => r.referenceType === 'purl')?.referenceLocator}`,
    )
    .sort();
}

/** Components with a package URL: syft also lists the distro and the files it read as components. */
function cdxPackages(doc: CdxDoc): string[] {
  return doc.components
    .filter((c) => c.purl !== undefined)
    .map((c) => `${c.name}@${c.version} ${c.purl}`)
    .sort();
}

const apkPurl = (p: (typeof APK_PACKAGES)[number]) =>
  `pkg:apk/alpine/${p.name}@${p.version}?arch=x86_64&distro=alpine-${ALPINE_VERSION}` +
  (p.origin === p.name ? '' : `&upstream=${p.origin}`);
const npmPurl = (name: string, version: string) => `pkg:npm/${name.replace('@', '%40')}@${version}`;

/** What the image holds: its apk database, the app's package.json and its installed node_modules. */
const IMAGE_PACKAGES = [
  ...APK_PACKAGES.map((p) => `${p.name}@${p.version} ${apkPurl(p)}`),
  `${APP_NAME}@${APP_VERSION} ${npmPurl(APP_NAME, APP_VERSION)}`,
  ...NPM_PACKAGES.filter((p) => !p.dev).map((p) => `${p.name}@${p.version} ${npmPurl(p.name, p.version)}`),
].sort();

let registry: RegistryServer;
let releases: RealSyftReleases;
let imageDigest: string;
let runner: SimulatedRunner;
let workspace: string;

beforeAll(async () => {
  [registry, releases] = await Promise.all([startRegistry(), startRealSyftReleases()]);
  imageDigest = await pushAlpineNpmImage(registry, 'octo-org/app', 'v1');
}, TIMEOUT);

afterAll(async () => {
  await releases?.server.close();
  await registry?.stop();
});

beforeEach(() => {
  runner = simulatedRunner({ server: releases.server, lockPath: releases.lockPath } as ToolReleases);
  workspace = mkdtempSync(join(tmpdir(), 'real-syft-ws-'));
  releases.server.resetCounters();
});

describe('sbom with the real syft (committed bundle)', () => {
  it(
    'catalogues the pushed image into SPDX and CycloneDX in one run: exactly the packages it holds, both schema-valid',
    async () => {
      const image = `${registry.host}/octo-org/app@${imageDigest}`;
      const result = await runAction({
        actionDir,
        workspace,
        inputs: { image, formats: 'spdx-json, cyclonedx-json', 'output-dir': 'sbom' },
        env: runner.env(),
      });
      expect(result.exitCode, result.log).toBe(0);
      const spdxPath = join(workspace, 'sbom', 'sbom.spdx.json');
      const cdxPath = join(workspace, 'sbom', 'sbom.cyclonedx.json');
      // one syft run wrote both documents
      const { platform, arch } = runnerPlatform();
      const installed = join(
        runner.root,
        'tool-cache-1',
        'syft',
        releases.version,
        `${platform}-${arch}`,
        'syft',
      );
      expect(result.log.split('\n').filter((l) => l.startsWith(`[command]${installed}`))).toEqual([
        `[command]${installed} scan --output spdx-json=${spdxPath} --output cyclonedx-json=${cdxPath} -- ${image}`,
      ]);
      const spdxText = readFileSync(spdxPath, 'utf8');
      const cdxText = readFileSync(cdxPath, 'utf8');
      const spdx = JSON.parse(spdxText) as SpdxDoc;
      const cdx = JSON.parse(cdxText) as CdxDoc;

      // the real program wrote both
      expect(spdx.creationInfo.creators).toContain(`Tool: syft-${releases.version}`);
      expect(cdx.metadata.tools.components).toContainEqual(
        expect.objectContaining({ name: 'syft', version: releases.version }),
      );

      expect(spdxPackages(spdx)).toEqual(IMAGE_PACKAGES);
      expect(cdxPackages(cdx)).toEqual(IMAGE_PACKAGES);
      // the distro is the CycloneDX document's operating-system component, not a package
      expect(cdx.components.filter((c) => c.type === 'operating-system')).toEqual([
        expect.objectContaining({ name: 'alpine', version: ALPINE_VERSION }),
      ]);
      expect(
        cdx.components
          .filter((c) => c.type === 'file')
          .map((c) => c.name)
          .sort(),
      ).toEqual([
        '/app/node_modules/@isaacs/string-locale-compare/package.json',
        '/app/node_modules/is-number/package.json',
        '/app/node_modules/ms/package.json',
        '/app/package.json',
        '/lib/apk/db/installed',
      ]);
      expect(cdx.components).toHaveLength(IMAGE_PACKAGES.length + 1 + 5);
      // the lock file's dev dependency is not installed in the image, so it is not listed
      expect(spdxText).not.toContain('left-pad');

      expect(spdx.spdxVersion).toBe('SPDX-2.3');
      // syft 1.51 writes CycloneDX 1.7 by default; it is checked against the 1.7 schema
      expect(cdx.specVersion).toBe('1.7');
      expect(spdx23SchemaErrors(spdx)).toBeNull();
      expect(await cycloneDxSchemaErrors(cdxText)).toBeNull();
      // and the checks do refuse a broken document
      expect(spdx23SchemaErrors({ ...spdx, packages: [{ ...spdx.packages[0], SPDXID: 7 }] })).not.toBeNull();
      const broken = { ...cdx, components: [{ ...cdx.components[0], type: 'not-a-type' }] };
      expect(await cycloneDxSchemaErrors(JSON.stringify(broken))).not.toBeNull();

      expect(result.outputs).toEqual({
        files: `${spdxPath}\n${cdxPath}`,
        'spdx-json-file': spdxPath,
        'cyclonedx-json-file': cdxPath,
        packages: String(IMAGE_PACKAGES.length),
        'syft-version': releases.version,
      });
      expect(result.summary).toContain(
        `| spdx-json | sbom/sbom.spdx.json | ${IMAGE_PACKAGES.length} |\n` +
          `| cyclonedx-json | sbom/sbom.cyclonedx.json | ${IMAGE_PACKAGES.length} |`,
      );
      expect(result.summary).toContain('| npm | 4 |\n| apk | 3 |');
    },
    TIMEOUT,
  );

  it(
    'catalogues a directory (package-lock.json v3, go.mod): exact packages and counts, both schema-valid',
    async () => {
      const src = join(workspace, 'my src');
      mkdirSync(join(src, 'web'), { recursive: true });
      mkdirSync(join(src, 'svc'), { recursive: true });
      writeFileSync(join(src, 'web', 'package-lock.json'), packageLock('web', '0.1.0', NPM_PACKAGES));
      writeFileSync(
        join(src, 'svc', 'go.mod'),
        [
          'module example.com/octo/svc',
          '',
          'go 1.22',
          '',
          'require (',
          '\tgithub.com/google/uuid v1.6.0',
          '\tgolang.org/x/text v0.14.0',
          '\tgopkg.in/yaml.v3 v3.0.1 // indirect',
          ')',
          '',
        ].join('\n'),
      );
      const result = await runAction({
        actionDir,
        workspace,
        inputs: { path: 'my src', formats: 'cyclonedx-json\nspdx-json' },
        // no module downloads: syft's Go cataloguer runs the go tool when it is on PATH
        env: runner.env({ GOPROXY: 'off' }),
      });
      expect(result.exitCode, result.log).toBe(0);
      // syft lists the lock file's root project (packages[""]) as a package too; not the dev dependency
      const expected = [
        `web@0.1.0 ${npmPurl('web', '0.1.0')}`,
        ...NPM_PACKAGES.filter((p) => !p.dev).map(
          (p) => `${p.name}@${p.version} ${npmPurl(p.name, p.version)}`,
        ),
        'github.com/google/uuid@v1.6.0 pkg:golang/github.com/google/uuid@v1.6.0',
        'golang.org/x/text@v0.14.0 pkg:golang/golang.org/x/text@v0.14.0',
        'gopkg.in/yaml.v3@v3.0.1 pkg:golang/gopkg.in/yaml.v3@v3.0.1',
      ].sort();
      const spdxText = readFileSync(join(workspace, 'sbom.spdx.json'), 'utf8');
      const cdxText = readFileSync(join(workspace, 'sbom.cyclonedx.json'), 'utf8');
      const spdx = JSON.parse(spdxText) as SpdxDoc;
      expect(spdxPackages(spdx)).toEqual(expected);
      const cdx = JSON.parse(cdxText) as CdxDoc;
      expect(cdxPackages(cdx)).toEqual(expected);
      // the folder name with a space reached syft as one argument
      expect(cdx.metadata.component?.name).toBe(src);
      expect(spdx23SchemaErrors(spdx)).toBeNull();
      expect(await cycloneDxSchemaErrors(cdxText)).toBeNull();
      expect(result.outputs.packages).toBe(String(expected.length));
      expect(result.summary).toContain('| npm | 4 |\n| golang | 3 |');
    },
    TIMEOUT,
  );

  it(
    "reports an image the registry does not have with syft's own reasons, without terminal colour codes",
    async () => {
      const image = `registry:${registry.host}/octo-org/missing:v1`;
      // syft colours its log whenever TERM is set, even to `dumb`, terminal or not
      const result = await runAction({
        actionDir,
        workspace,
        inputs: { image },
        env: runner.env({ TERM: 'dumb' }),
      });
      expect(result.exitCode).toBe(1);
      const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      const manifest = `GET http://${registry.host}/v2/octo-org/missing/manifests/v1: MANIFEST_UNKNOWN: manifest unknown; map[Tag:v1]`;
      expect(errors).toEqual([
        [
          `syft could not catalogue ${image} (exit 1):`,
          `[0000] ERROR could not determine source: errors occurred attempting to resolve '${registry.host}/octo-org/missing:v1':`,
          `  - oci-registry: failed to get image descriptor from registry: ${manifest}`,
          `  - oci-model: failed to fetch descriptor: ${manifest}`,
          'Check the `image` input: an image reference the runner can pull (log in to a private registry first, e.g. with docker/login-action).',
        ].join('\n'),
      ]);
      expect(errors[0]).not.toContain('\u001b');
    },
    TIMEOUT,
  );

  it(
    'installs the real syft archive against the lock file, restores it from the cache in the next job, and runs it both times',
    async () => {
      const folder = join(workspace, 'app');
      mkdirSync(folder);
      writeFileSync(join(folder, 'package-lock.json'), packageLock('app', '1.0.0', NPM_PACKAGES));
      const first = await runAction({ actionDir, workspace, inputs: { path: 'app' }, env: runner.env() });
      expect(first.exitCode, first.log).toBe(0);
      expect(first.log).toContain(
        `sha256 of ${releases.asset} is ${releases.assetSha256}, as tools.lock.json says.`,
      );
      expect(first.log).toContain(
        `syft ${releases.version}: download, ${releases.assetBytes} bytes downloaded.`,
      );
      expect(releases.server.bytesSent.get(releases.asset)).toBe(releases.assetBytes);
      const firstSbom = readFileSync(join(workspace, 'sbom.spdx.json'), 'utf8');

      releases.server.resetCounters();
      // the next job catalogues the lock file itself: a `file:` source
      const second = await runAction({
        actionDir,
        workspace,
        inputs: { path: 'app/package-lock.json' },
        env: runner.env(),
      });
      expect(second.exitCode, second.log).toBe(0);
      expect(second.log).toContain(`syft ${releases.version}: actions-cache, 0 bytes downloaded.`);
      expect(releases.server.requests).toEqual([]);
      const secondSbom = readFileSync(join(workspace, 'sbom.spdx.json'), 'utf8');
      expect(spdxPackages(JSON.parse(secondSbom) as SpdxDoc)).toEqual(
        spdxPackages(JSON.parse(firstSbom) as SpdxDoc),
      );
      // the three installed dependencies and the lock file's root project
      expect(second.outputs.packages).toBe('4');
    },
    TIMEOUT,
  );
});
