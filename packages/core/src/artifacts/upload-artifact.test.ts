/**
 * The artifact client against the artifact double (test/doubles/actions-artifacts:
 * Twirp ArtifactService + Azure blob endpoints, runtime tokens it signs), over
 * the real HTTP transport: the upload and what the service stored (read back
 * with Info-ZIP's unzip), a duplicate name, retried 5xx and dropped connections,
 * failures that must not be retried, the storage quota, and that neither the
 * token nor the upload URL's signature reaches a log line or a message.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startActionsArtifactsDouble,
  type ActionsArtifactsDouble,
} from '../../../../test/doubles/actions-artifacts/artifact-server.ts';
import { FIRST_ARTIFACT_ID } from '../../../../test/doubles/actions-artifacts/artifact-store.ts';
import { zipEntries, zipEntry } from '../../../../test/doubles/actions-artifacts/zip-contents.ts';
import { READ } from '../../../../test/doubles/actions-cache/runtime-token.ts';
import { UserError } from '../errors.ts';
import { createHttpTransport } from '../http-transport.ts';
import { artifactServiceFromEnv, type ArtifactService } from './artifact-service.ts';
import { uploadArtifact, type ArtifactUploadRequest } from './upload-artifact.ts';
import { ArtifactStorageQuotaError, ArtifactUploadError } from './upload-retry.ts';

let double: ActionsArtifactsDouble;
let workspace: string;
let token: string;
let service: ArtifactService;
let logs: string[];
let masked: string[];
let waits: number[];

beforeAll(async () => {
  double = await startActionsArtifactsDouble();
  workspace = mkdtempSync(join(tmpdir(), 'artifact-client-'));
  mkdirSync(join(workspace, 'out', 'nested'), { recursive: true });
  writeFileSync(join(workspace, 'out', 'sbom.spdx.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3' }) + '\n');
  writeFileSync(join(workspace, 'out', 'nested', 'sbom.cdx.json'), '{"bomFormat":"CycloneDX"}\n'.repeat(300));
});
afterAll(async () => {
  await double.close();
  rmSync(workspace, { recursive: true, force: true });
});
beforeEach(async () => {
  double.reset();
  logs = [];
  masked = [];
  waits = [];
  const env = await double.env();
  token = env.ACTIONS_RUNTIME_TOKEN!;
  service = artifactServiceFromEnv(env, (value) => masked.push(value));
});

const files = () => [
  join(workspace, 'out', 'sbom.spdx.json'),
  join(workspace, 'out', 'nested', 'sbom.cdx.json'),
];
const request = (overrides: Partial<ArtifactUploadRequest> = {}): ArtifactUploadRequest => ({
  name: 'sbom',
  files: files(),
  rootDirectory: join(workspace, 'out'),
  ...overrides,
});
const upload = (req = request(), on = service) =>
  uploadArtifact(on, req, {
    http: createHttpTransport({ userAgent: 'slipway-test', timeoutMs: 10_000 }),
    log: (line) => logs.push(line),
    mask: (value) => masked.push(value),
    retry: { sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
  });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('the upload succeeded'),
    (error: unknown) => error as ArtifactUploadError,
  );
const operations = () => double.requests.map((r) => `${r.operation} ${r.status}`);
const UPLOAD = ['CreateArtifact 200', 'PutBlob 201', 'FinalizeArtifact 200'];

/** The upload URL's SAS signature handed out by the double's CreateArtifact. */
const signature = () => {
  const url = double.requests.find((r) => r.reply?.signed_upload_url)?.reply?.signed_upload_url;
  return typeof url === 'string' ? (new URL(url).searchParams.get('sig') ?? '') : '';
};
/** Every text the client produced: log lines, and the message of what it threw. */
function expectNoSecrets(thrown?: unknown) {
  const texts = [...logs, thrown instanceof Error ? `${thrown.message}\n${thrown.stack}` : ''];
  for (const secret of [token, signature()].filter(Boolean)) {
    expect(masked).toContain(secret);
    expect(texts.filter((t) => t.includes(secret) || t.includes(encodeURIComponent(secret)))).toEqual([]);
  }
  expect(texts.filter((t) => t.includes('sig='))).toEqual([]);
}

describe('uploadArtifact against the artifact double', () => {
  it('uploads the files as one zip and answers the id the service finalized', async () => {
    const result = await upload();
    expect(operations()).toEqual(UPLOAD);
    const [artifact, ...others] = double.artifacts();
    expect(others).toEqual([]);
    const zip = artifact!.content;
    const digest = createHash('sha256').update(zip).digest('hex');
    expect(result).toEqual({ id: FIRST_ARTIFACT_ID, size: zip.length, digest: `sha256:${digest}` });
    expect(artifact).toMatchObject({
      name: 'sbom',
      runId: '1000001',
      jobId: 'build',
      version: 7,
      mimeType: 'application/zip',
      size: zip.length,
      digest: `sha256:${digest}`,
    });
    expect(zipEntries(zip)).toEqual(['sbom.spdx.json', 'nested/sbom.cdx.json']);
    expect(zipEntry(zip, 'nested/sbom.cdx.json').toString()).toBe('{"bomFormat":"CycloneDX"}\n'.repeat(300));
    expect(zipEntry(zip, 'sbom.spdx.json').toString()).toBe('{"spdxVersion":"SPDX-2.3"}\n');
    expect(double.requests[0]!.body).toEqual({
      workflow_run_backend_id: '1000001',
      workflow_job_run_backend_id: 'build',
      name: 'sbom',
      version: 7,
      mime_type: 'application/zip',
    });
    expect(double.requests[2]!.body).toEqual({
      workflow_run_backend_id: '1000001',
      workflow_job_run_backend_id: 'build',
      name: 'sbom',
      size: String(zip.length),
      hash: `sha256:${digest}`,
    });
    expect(logs).toEqual([
      `Uploading artifact 'sbom': 2 file(s), a zip of ${zip.length} bytes`,
      `Artifact 'sbom' uploaded: id ${FIRST_ARTIFACT_ID}, sha256:${digest}`,
    ]);
    expectNoSecrets();
  });

  it('sends expires_at when asked, as RFC 3339', async () => {
    const expiresAt = new Date(Date.now() + 3 * 86_400_000);
    await upload(request({ expiresAt }));
    expect(double.requests[0]!.body!.expires_at).toBe(expiresAt.toISOString());
    expect(double.artifacts()[0]!.expiresAt).toEqual(expiresAt);
  });

  it('a name already used in the run is a 409 that is not retried', async () => {
    await upload();
    double.requests.length = 0;
    const error = await failure(upload());
    expect(operations()).toEqual(['CreateArtifact 409']);
    expect(error).toBeInstanceOf(ArtifactUploadError);
    expect(error).toMatchObject({
      step: 'CreateArtifact',
      status: 409,
      failure: { code: 'already_exists', retryable: false },
      message:
        'the artifact service answered CreateArtifact with HTTP 409 (already_exists): an artifact with this name already exists on the workflow run',
    });
    expect(double.artifacts()).toHaveLength(1);
    expectNoSecrets(error);
  });

  it('retries 5xx, 429 and dropped connections in every step, then succeeds', async () => {
    double.fault('CreateArtifact', { status: 503 });
    double.fault('PutBlob', { status: 500, times: 2 });
    double.fault('FinalizeArtifact', { drop: true });
    const result = await upload();
    expect(operations()).toEqual([
      'CreateArtifact 503',
      'CreateArtifact 200',
      'PutBlob 500',
      'PutBlob 500',
      'PutBlob 201',
      'FinalizeArtifact 0',
      'FinalizeArtifact 200',
    ]);
    expect(result.id).toBe(FIRST_ARTIFACT_ID);
    expect(zipEntries(double.artifacts()[0]!.content)).toEqual(['sbom.spdx.json', 'nested/sbom.cdx.json']);
    // full jitter at random() = 0.5: half of 1 s, 2 s, ... per attempt of each step
    expect(waits).toEqual([500, 500, 1000, 500]);
    const blob = `${double.url}/cachedouble/actions-cache/runs/1000001/artifact-${FIRST_ARTIFACT_ID}.zip`;
    const zip = double.artifacts()[0]!.content;
    expect(logs).toEqual([
      'CreateArtifact attempt 1 of 5 failed (the artifact service answered CreateArtifact with HTTP 503 (unavailable): injected fault (503)); retrying in 0.5 s',
      `Uploading artifact 'sbom': 2 file(s), a zip of ${zip.length} bytes`,
      `PutBlob attempt 1 of 5 failed (blob storage answered PUT ${blob} with HTTP 500 (InternalError)); retrying in 0.5 s`,
      `PutBlob attempt 2 of 5 failed (blob storage answered PUT ${blob} with HTTP 500 (InternalError)); retrying in 1.0 s`,
      expect.stringMatching(
        /^FinalizeArtifact attempt 1 of 5 failed \(could not reach the artifact service: .*\); retrying in 0\.5 s$/,
      ) as string,
      `Artifact 'sbom' uploaded: id ${FIRST_ARTIFACT_ID}, ${result.digest}`,
    ]);
    expectNoSecrets();
  });

  it('retries the 429 of a busy service', async () => {
    double.fault('CreateArtifact', { status: 429 });
    await upload();
    expect(operations()).toEqual(['CreateArtifact 429', ...UPLOAD]);
    expect(waits).toEqual([500]);
  });

  it('gives up after five attempts, saying so', async () => {
    double.fault('FinalizeArtifact', { status: 500, times: 5 });
    const error = await failure(upload());
    expect(operations()).toEqual([...UPLOAD.slice(0, 2), ...Array<string>(5).fill('FinalizeArtifact 500')]);
    expect(error.message).toBe(
      'the artifact service answered FinalizeArtifact with HTTP 500 (internal): injected fault (500); gave up after 5 attempts',
    );
    expect(error.failure.attempts).toBe(5);
    expect(double.artifacts()).toEqual([]);
  });

  it('a blob upload that never gets an answer names the blob without its signature', async () => {
    double.fault('PutBlob', { drop: true, times: 5 });
    const error = await failure(upload());
    expect(operations()).toEqual(['CreateArtifact 200', ...Array<string>(5).fill('PutBlob 0')]);
    const blob = `${double.url}/cachedouble/actions-cache/runs/1000001/artifact-${FIRST_ARTIFACT_ID}.zip`;
    expect(error.message).toMatch(
      new RegExp(
        `^no answer from blob storage to PUT ${blob.replace(/[.]/g, '\\.')}: .*; gave up after 5 attempts$`,
      ),
    );
    expect(error.step).toBe('PutBlob');
    expectNoSecrets(error);
  });

  it('does not retry a past expiry (400)', async () => {
    const error = await failure(upload(request({ expiresAt: new Date('2020-01-01T00:00:00Z') })));
    expect(operations()).toEqual(['CreateArtifact 400']);
    expect(error.message).toBe(
      'the artifact service answered CreateArtifact with HTTP 400 (invalid_argument): expires_at 2020-01-01T00:00:00.000Z is not a future timestamp',
    );
    expect(waits).toEqual([]);
  });

  it('does not retry the 403 of a read-only token or of a token for another job', async () => {
    const readOnly = await double.env({ scopes: [{ scope: 'refs/heads/main', permission: READ }] });
    const denied = await failure(
      upload(
        request(),
        artifactServiceFromEnv(readOnly, () => {}),
      ),
    );
    const otherJob = await failure(upload(request(), { ...service, workflowJobRunBackendId: 'deploy' }));
    expect(operations()).toEqual(['CreateArtifact 403', 'CreateArtifact 403']);
    expect([denied.message, otherJob.message]).toEqual([
      'the artifact service answered CreateArtifact with HTTP 403 (permission_denied): artifact upload denied: the runtime token has no writable scope',
      'the artifact service answered CreateArtifact with HTTP 403 (permission_denied): the runtime token is not valid for run 1000001, job deploy',
    ]);
    expect(waits).toEqual([]);
  });

  it('a used-up storage quota is an ArtifactStorageQuotaError, not retried', async () => {
    double.fault('CreateArtifact', { status: 403, msg: 'insufficient usage to create artifact' });
    const error = await failure(upload());
    expect(error).toBeInstanceOf(ArtifactStorageQuotaError);
    expect(operations()).toEqual(['CreateArtifact 403']);
  });

  it('refuses what cannot be archived before the first request', async () => {
    const outside = join(workspace, 'elsewhere.json');
    writeFileSync(outside, '{}');
    for (const [req, message] of [
      [
        request({ files: [outside] }),
        `${outside} is not inside the artifact's root directory ${join(workspace, 'out')}.`,
      ],
      [
        request({ name: 'sbom/linux' }),
        'The artifact name "sbom/linux" contains "/", which artifact names may not contain.',
      ],
      [
        request({ files: [join(workspace, 'out', 'missing.json')] }),
        `Cannot upload ${join(workspace, 'out', 'missing.json')}: it does not exist or is not a regular file.`,
      ],
      [request({ files: [] }), "No files to upload as artifact 'sbom'."],
    ] as const) {
      const error = await failure(upload(req));
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toBe(message);
    }
    expect(double.requests).toEqual([]);
  });
});
