/**
 * The sbom action's `upload-artifact` through the committed bundle: Slipway's
 * artifacts v4 client (@slipway/core/artifacts) in the bundle uploads to the
 * artifact double (Twirp ArtifactService + Azure blob endpoints), syft is the
 * stand-in served by the release double. Checks the stored zip byte for byte, the outputs and
 * summary, and what the step says when the name is taken, the service fails,
 * or the job runs on GHES.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { node24Path } from '../harness/node-versions.ts';
import { findLeaks, runAction, type ActionRunResult } from '../harness/run-action.ts';
import { SHARED_FIXTURES } from '../doubles/release-assets/release-assets.ts';
import {
  startActionsArtifactsDouble,
  type ActionsArtifactsDouble,
} from '../doubles/actions-artifacts/artifact-server.ts';
import { FIRST_ARTIFACT_ID } from '../doubles/actions-artifacts/artifact-store.ts';
import { zipEntries, zipEntry } from '../doubles/actions-artifacts/zip-contents.ts';
import { useStandInTools } from './support/stand-in-tools.ts';

const actionDir = resolve(import.meta.dirname, '../../actions/sbom');
const fixture = (name: string) => readFileSync(join(SHARED_FIXTURES, 'syft', name));
const setup = useStandInTools('sbom-artifact-ws-');
let service: ActionsArtifactsDouble;

beforeAll(async () => {
  service = await startActionsArtifactsDouble();
});
afterAll(() => service?.close());
beforeEach(() => service.reset());

const IMAGE = 'ghcr.io/octo-org/app@sha256:' + 'a'.repeat(64);
const UPLOAD = ['CreateArtifact 200', 'PutBlob 201', 'FinalizeArtifact 200'];
const operations = () => service.requests.map((r) => `${r.operation} ${r.status}`);
const errors = (result: ActionRunResult) =>
  result.annotations.filter((a) => a.level === 'error').map((a) => a.message);

/** One sbom run with the artifact service's env (token for run 1000001, job build: the harness's ids). */
async function sbom(
  inputs: Record<string, string>,
  options: { env?: Record<string, string>; node?: string } = {},
) {
  return runAction({
    actionDir,
    workspace: setup.workspace,
    inputs: { image: IMAGE, ...inputs },
    env: setup.runner.env({ ...(await service.env()), ...options.env }),
    ...(options.node ? { node: options.node } : {}),
  });
}

/** The SBOM files' paths in the workspace. */
const onDisk = (...names: string[]) => names.map((n) => join(setup.workspace, n));

/** The run's one artifact: its name, zip entries and the bytes of each entry. */
function uploaded() {
  const all = service.artifacts();
  expect(all).toHaveLength(1);
  const artifact = all[0]!;
  const entries = zipEntries(artifact.content);
  return { artifact, entries, bytes: (entry: string) => zipEntry(artifact.content, entry) };
}

describe('sbom upload-artifact (committed bundle, artifact double)', () => {
  it('uploads exactly the SBOM files, byte-identical, and reports the artifact id', async () => {
    const env = await service.env();
    const inputs = { formats: 'cyclonedx-json, spdx-json', 'output-dir': 'out', 'upload-artifact': 'true' };
    const result = await sbom({ ...inputs, 'artifact-name': 'sbom linux-amd64' }, { env });
    expect(result.exitCode, result.log).toBe(0);
    expect(operations()).toEqual(UPLOAD);
    const { artifact, entries, bytes } = uploaded();
    expect(artifact).toMatchObject({
      name: 'sbom linux-amd64',
      runId: '1000001',
      jobId: 'build',
      version: 7,
    });
    // the zip holds the files in the order of the `files` output
    expect(entries).toEqual(['sbom.cyclonedx.json', 'sbom.spdx.json']);
    const [cdx, spdx] = onDisk('out/sbom.cyclonedx.json', 'out/sbom.spdx.json');
    expect(bytes('sbom.cyclonedx.json')).toEqual(readFileSync(cdx!));
    expect(bytes('sbom.spdx.json')).toEqual(readFileSync(spdx!));
    expect(bytes('sbom.spdx.json')).toEqual(fixture('image.spdx.json'));
    expect(result.outputs['artifact-id']).toBe(String(FIRST_ARTIFACT_ID));
    expect(result.outputs['artifact-id']).toBe(String(artifact.id));
    expect(result.outputs.files).toBe(`${cdx}\n${spdx}`);
    // the fixture's operating-system component is not a package: 2, as in the SPDX document
    expect(result.summary).toContain('| cyclonedx-json | out/sbom.cyclonedx.json | 2 |');
    expect(result.summary.slice(result.summary.indexOf('| python |'))).toBe(
      '| python | 1 |\n\nUploaded as workflow artifact `sbom linux-amd64` (id 4200001).\n',
    );
    // the runtime token and the upload URL's signature: masked, and in no log line or summary
    const signedUrl = new URL(String(service.requests[0]!.reply!.signed_upload_url));
    const secrets = [env.ACTIONS_RUNTIME_TOKEN ?? '', signedUrl.searchParams.get('sig') ?? ''];
    expect(secrets[1]).not.toBe('');
    expect(findLeaks(result, secrets)).toEqual([]);
  });

  it('uses the default artifact name `sbom` for the default SPDX file in the workspace root', async () => {
    const result = await sbom({ 'upload-artifact': 'true' });
    expect(result.exitCode, result.log).toBe(0);
    const { artifact, entries, bytes } = uploaded();
    expect(artifact.name).toBe('sbom');
    expect(entries).toEqual(['sbom.spdx.json']);
    expect(bytes('sbom.spdx.json')).toEqual(readFileSync(onDisk('sbom.spdx.json')[0]!));
    expect(result.outputs['artifact-id']).toBe(String(artifact.id));
  });

  it('upload-artifact false (the default) sends nothing to the artifact service', async () => {
    const result = await sbom({ 'artifact-name': 'unused' });
    expect(result.exitCode, result.log).toBe(0);
    expect(service.requests).toEqual([]);
    expect(result.outputs['artifact-id']).toBeUndefined();
    expect(result.summary).not.toContain('Uploaded as workflow artifact');
  });

  it('a name already used in the run fails the step, naming artifact-name; files and outputs stay', async () => {
    const first = await sbom({ 'upload-artifact': 'true' });
    expect(first.exitCode, first.log).toBe(0);
    service.requests.length = 0;
    const second = await sbom({ 'upload-artifact': 'true' });
    expect(second.exitCode).toBe(1);
    expect(operations()).toEqual(['CreateArtifact 409']);
    const spdx = onDisk('sbom.spdx.json')[0]!;
    expect(errors(second)).toEqual([
      [
        "This workflow run already has an artifact named 'sbom', and artifact names are unique within a run (the artifact service answered CreateArtifact with HTTP 409 (already_exists): an artifact with this name already exists on the workflow run).",
        `Set the input 'artifact-name' to a name no other step of the run uses, e.g. with the matrix values or the job name in it, or set upload-artifact to false where another step already uploads. The SBOM files were written and are still on disk: ${spdx}.`,
      ].join('\n'),
    ]);
    expect(existsSync(spdx)).toBe(true);
    expect(second.outputs.files).toBe(spdx);
    expect(second.outputs['artifact-id']).toBeUndefined();
    expect(service.artifacts()).toHaveLength(1);
  });

  it('a 503 on CreateArtifact and a dropped blob connection are retried', async () => {
    service.fault('CreateArtifact', { status: 503 });
    service.fault('PutBlob', { drop: true });
    const result = await sbom({ 'upload-artifact': 'true' });
    expect(result.exitCode, result.log).toBe(0);
    expect(operations()).toEqual([
      'CreateArtifact 503',
      'CreateArtifact 200',
      'PutBlob 0',
      'PutBlob 201',
      'FinalizeArtifact 200',
    ]);
    expect(result.log).toMatch(
      /^CreateArtifact attempt 1 of 5 failed \(the artifact service answered CreateArtifact with HTTP 503 \(unavailable\): injected fault \(503\)\); retrying in \d+\.\d s$/m,
    );
    expect(result.log).toMatch(
      /^PutBlob attempt 1 of 5 failed \(no answer from blob storage to PUT http:\/\/127\.0\.0\.1:\d+\/cachedouble\/actions-cache\/runs\/1000001\/artifact-4200001\.zip: .+\); retrying in \d+\.\d s$/m,
    );
    expect(uploaded().bytes('sbom.spdx.json')).toEqual(readFileSync(onDisk('sbom.spdx.json')[0]!));
  }, 60_000);

  it('a service that keeps answering 500 fails the step after 5 attempts; the SBOM stays on disk', async () => {
    service.fault('CreateArtifact', { status: 500, times: 5 });
    const result = await sbom({ 'upload-artifact': 'true', formats: 'spdx-json,cyclonedx-json' });
    expect(result.exitCode).toBe(1);
    expect(operations()).toEqual(Array<string>(5).fill('CreateArtifact 500'));
    const [spdx, cdx] = onDisk('sbom.spdx.json', 'sbom.cyclonedx.json');
    expect(errors(result)).toEqual([
      [
        "Could not upload the SBOM files as artifact 'sbom': the artifact service answered CreateArtifact with HTTP 500 (internal): injected fault (500); gave up after 5 attempts",
        `What a later attempt could fix was retried already. The SBOM files were written and are still on disk: ${spdx}, ${cdx}. Re-run the job once the artifact service works again (https://www.githubstatus.com), or set upload-artifact to false and upload the files in a later step.`,
      ].join('\n'),
    ]);
    expect(readFileSync(spdx!)).toEqual(fixture('image.spdx.json'));
    expect(readFileSync(cdx!)).toEqual(fixture('image.cyclonedx.json'));
    expect(result.outputs.files).toBe(`${spdx}\n${cdx}`);
    expect(result.summary).toContain('| spdx-json | sbom.spdx.json | 2 |');
  }, 120_000);

  it.each<[string, Record<string, string>, Record<string, string>, string]>([
    [
      'on GHES',
      {},
      { GITHUB_SERVER_URL: 'https://ghes.example.com' },
      "Input 'upload-artifact' is true, but this job runs on GitHub Enterprise Server (https://ghes.example.com), which has no artifacts v4 service to upload to. Expected false on GHES; upload the paths in the `files` output in a later step with actions/upload-artifact@v3, the version GHES supports.",
    ],
    [
      'without the results service',
      {},
      { ACTIONS_RESULTS_URL: '' },
      "Input 'upload-artifact' is true, but ACTIONS_RESULTS_URL is not set, so there is no artifact service to upload to (the runner sets both for JavaScript actions). Expected false when the action runs outside a GitHub Actions job.",
    ],
    [
      'with a name the service would refuse',
      { 'artifact-name': 'sbom/linux' },
      {},
      "Input 'artifact-name' has the value 'sbom/linux', which is not valid. Expected an artifact name without \" < > : | * ? \\ / or line breaks.",
    ],
  ])(
    'refuses upload-artifact %s before installing or running anything',
    async (_case, inputs, env, message) => {
      const result = await sbom({ 'upload-artifact': 'true', ...inputs }, { env });
      expect(result.exitCode).toBe(1);
      expect(errors(result)).toEqual([message]);
      expect(service.requests).toEqual([]);
      expect(setup.tools.server.requests).toEqual([]);
      expect(setup.runner.calls()).toEqual([]);
    },
  );

  it('uploads under Node 24, the runtime action.yml declares', async () => {
    const result = await sbom(
      { 'upload-artifact': 'true', 'artifact-name': 'sbom-node24' },
      { node: node24Path() },
    );
    expect(result.exitCode, result.log).toBe(0);
    expect(operations()).toEqual(UPLOAD);
    const { artifact, bytes } = uploaded();
    expect(artifact.name).toBe('sbom-node24');
    expect(bytes('sbom.spdx.json')).toEqual(fixture('image.spdx.json'));
    expect(result.outputs['artifact-id']).toBe(String(artifact.id));
  }, 240_000);
});
