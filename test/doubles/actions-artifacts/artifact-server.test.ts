/**
 * The artifact double driven by the real @actions/artifact 6 client,
 * in-process: upload (Twirp CreateArtifact, Azure Put Block + Put Block List,
 * FinalizeArtifact), then list and download it back; what the client does
 * with a duplicate name, a read-only or forged token, 5xx answers and a
 * dropped blob connection; and the double's own size/hash checks, called directly.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultArtifactClient, GHESNotSupportedError } from '@actions/artifact';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { READ } from '../actions-cache/runtime-token.ts';
import { FIRST_ARTIFACT_ID } from './artifact-store.ts';
import { startActionsArtifactsDouble, type ActionsArtifactsDouble } from './artifact-server.ts';
import { zipEntries, zipEntry } from './zip-contents.ts';

let double: ActionsArtifactsDouble;
let workspace: string;
const runnerEnv = { ...process.env };
const client = new DefaultArtifactClient();

beforeAll(async () => (double = await startActionsArtifactsDouble()));
afterAll(() => {
  process.env = runnerEnv;
  return double.close();
});
/** Each test: an empty double, a new workspace, and the env of job `build` of run 1000001 on github.com. */
beforeEach(async () => {
  double.reset();
  workspace = mkdtempSync(join(tmpdir(), 'actions-artifacts-'));
  const service = await double.env();
  process.env = {
    ...runnerEnv,
    ...service,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
  };
});

/** Two files under `<workspace>/out` (one nested); returns their absolute paths. */
function sbomFiles(): string[] {
  mkdirSync(join(workspace, 'out', 'nested'), { recursive: true });
  const files = [join(workspace, 'out', 'a.json'), join(workspace, 'out', 'nested', 'b.txt')];
  writeFileSync(files[0]!, '{"a":1}\n');
  writeFileSync(files[1]!, 'b'.repeat(5000));
  return files;
}

const operations = () => double.requests.map((r) => `${r.operation} ${r.status}`);
const UPLOAD = ['CreateArtifact 200', 'PutBlock 201', 'PutBlockList 201', 'FinalizeArtifact 200'];
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('@actions/artifact against the artifact double', () => {
  it('uploads a zip, lists it and downloads it back byte for byte', async () => {
    const files = sbomFiles();
    const before = Date.now();
    const upload = await client.uploadArtifact('reports', files, join(workspace, 'out'), {
      retentionDays: 3,
    });
    expect(operations()).toEqual(UPLOAD);
    const [artifact] = double.artifacts();
    expect(upload).toEqual({
      id: FIRST_ARTIFACT_ID,
      size: artifact!.content.length,
      digest: sha256(artifact!.content),
    });
    expect(artifact).toMatchObject({ name: 'reports', runId: '1000001', jobId: 'build', version: 7 });
    expect(artifact!.mimeType).toBe('application/zip');
    const expiry = artifact!.expiresAt!.getTime() - before;
    expect(expiry).toBeGreaterThanOrEqual(3 * 86_400_000 - 3_600_000); // a DST change may shorten a day
    expect(expiry).toBeLessThanOrEqual(3 * 86_400_000 + 3_600_000 + 60_000);
    expect(double.requests[3]!.body).toEqual({
      workflow_run_backend_id: '1000001',
      workflow_job_run_backend_id: 'build',
      name: 'reports',
      size: String(artifact!.content.length),
      hash: `sha256:${sha256(artifact!.content)}`,
    });
    // the zip itself, read by Info-ZIP: exactly the two files, paths relative to the root directory
    expect(zipEntries(artifact!.content).sort()).toEqual(['a.json', 'nested/b.txt']);
    expect(zipEntry(artifact!.content, 'nested/b.txt')).toEqual(readFileSync(files[1]!));

    double.requests.length = 0;
    const { artifacts } = await client.listArtifacts();
    expect(artifacts).toEqual([
      {
        name: 'reports',
        id: FIRST_ARTIFACT_ID,
        size: artifact!.content.length,
        createdAt: artifact!.createdAt,
        digest: `sha256:${sha256(artifact!.content)}`,
      },
    ]);
    const into = join(workspace, 'download');
    const download = await client.downloadArtifact(FIRST_ARTIFACT_ID, {
      path: into,
      expectedHash: `sha256:${sha256(artifact!.content)}`,
    });
    expect(download).toEqual({ downloadPath: into, digestMismatch: false });
    expect(operations()).toEqual([
      'ListArtifacts 200',
      'ListArtifacts 200',
      'GetSignedArtifactURL 200',
      'GetBlob 200',
    ]);
    expect(readdirSync(into, { recursive: true }).sort()).toEqual(['a.json', 'nested', 'nested/b.txt']);
    expect(readFileSync(join(into, 'a.json'))).toEqual(readFileSync(files[0]!));
    expect(readFileSync(join(into, 'nested', 'b.txt'))).toEqual(readFileSync(files[1]!));
  });

  it('refuses a second artifact of the same name in the run with 409, not retried; another run may use it', async () => {
    const files = sbomFiles();
    await client.uploadArtifact('sbom', files, join(workspace, 'out'));
    double.requests.length = 0;
    await expect(client.uploadArtifact('sbom', files, join(workspace, 'out'))).rejects.toThrow(
      'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
    );
    expect(operations()).toEqual(['CreateArtifact 409']);
    Object.assign(process.env, await double.env({ runId: '1000002' }));
    const other = await client.uploadArtifact('sbom', files, join(workspace, 'out'));
    expect(other.id).toBe(FIRST_ARTIFACT_ID + 1);
    expect(double.artifacts().map((a) => [a.runId, a.name])).toEqual([
      ['1000001', 'sbom'],
      ['1000002', 'sbom'],
    ]);
  });

  it('refuses a token without a writable scope (403) and a forged token (401)', async () => {
    const files = sbomFiles();
    Object.assign(
      process.env,
      await double.env({ scopes: [{ scope: 'refs/heads/main', permission: READ }] }),
    );
    await expect(client.uploadArtifact('sbom', files, join(workspace, 'out'))).rejects.toThrow(
      'Failed request: (403) Forbidden: artifact upload denied: the runtime token has no writable scope',
    );
    const [header, payload] = (process.env.ACTIONS_RUNTIME_TOKEN ?? '').split('.');
    process.env.ACTIONS_RUNTIME_TOKEN = `${header}.${payload}.forged`;
    await expect(client.uploadArtifact('sbom', files, join(workspace, 'out'))).rejects.toThrow(
      'Failed request: (401) Unauthorized: missing, invalid or expired runtime token',
    );
    expect(operations()).toEqual(['CreateArtifact 403', 'CreateArtifact 401']);
    expect(double.store.all()).toEqual([]);
  });

  it('the client retries a 502 on FinalizeArtifact; the Azure client a dropped Put Block and a 503 on Put Block List', async () => {
    double.fault('PutBlock', { drop: true });
    double.fault('PutBlockList', { status: 503 });
    double.fault('FinalizeArtifact', { status: 502 });
    const upload = await client.uploadArtifact('sbom', sbomFiles(), join(workspace, 'out'));
    const statuses = (op: string) => double.requests.filter((r) => r.operation === op).map((r) => r.status);
    expect(['CreateArtifact', 'PutBlock', 'PutBlockList', 'FinalizeArtifact'].map(statuses)).toEqual([
      [200],
      [0, 201],
      [503, 201],
      [502, 200],
    ]);
    expect(upload.digest).toBe(sha256(double.artifacts()[0]!.content));
  }, 60_000);

  it('GHES (GITHUB_SERVER_URL not github.com / *.ghe.com): the client refuses before any request', async () => {
    process.env.GITHUB_SERVER_URL = 'https://ghes.example.com';
    await expect(client.uploadArtifact('sbom', sbomFiles(), join(workspace, 'out'))).rejects.toBeInstanceOf(
      GHESNotSupportedError,
    );
    expect(double.requests).toEqual([]);
  });
});

describe('the double checks what FinalizeArtifact reports against the upload', () => {
  async function rpc(method: string, body: Record<string, unknown>) {
    const response = await fetch(
      `${double.url}/twirp/github.actions.results.api.v1.ArtifactService/${method}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${process.env.ACTIONS_RUNTIME_TOKEN ?? ''}`,
        },
        body: JSON.stringify({
          workflow_run_backend_id: '1000001',
          workflow_job_run_backend_id: 'build',
          ...body,
        }),
      },
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  it('size and sha256 must match the uploaded bytes; only then is the artifact listed', async () => {
    const created = await rpc('CreateArtifact', { name: 'x', version: 7, mime_type: 'application/zip' });
    const put = await fetch(String(created.body.signed_upload_url), {
      method: 'PUT',
      headers: { 'x-ms-blob-type': 'BlockBlob' },
      body: 'twelve bytes',
    });
    expect(put.status).toBe(201);
    const good = `sha256:${sha256(Buffer.from('twelve bytes'))}`;
    expect(await rpc('FinalizeArtifact', { name: 'x', size: '11', hash: good })).toEqual({
      status: 400,
      body: { code: 'invalid_argument', msg: 'size 11 does not match the 12 bytes uploaded' },
    });
    expect(
      await rpc('FinalizeArtifact', { name: 'x', size: '12', hash: `sha256:${'0'.repeat(64)}` }),
    ).toEqual({
      status: 400,
      body: {
        code: 'invalid_argument',
        msg: `hash sha256:${'0'.repeat(64)} does not match the uploaded content (${good})`,
      },
    });
    expect((await rpc('ListArtifacts', {})).body).toEqual({ artifacts: [] });
    expect(await rpc('FinalizeArtifact', { name: 'x', size: '12', hash: good })).toEqual({
      status: 200,
      body: { ok: true, artifact_id: String(FIRST_ARTIFACT_ID) },
    });
    expect((await rpc('ListArtifacts', { name_filter: 'x' })).body.artifacts).toHaveLength(1);
    expect(await rpc('GetSignedArtifactURL', { name: 'nope' })).toEqual({
      status: 404,
      body: { code: 'not_found', msg: 'artifact nope not found' },
    });
    expect(await rpc('CreateArtifact', { name: 'y', workflow_run_backend_id: '999' })).toEqual({
      status: 403,
      body: { code: 'permission_denied', msg: 'the runtime token is not valid for run 999, job build' },
    });
  });

  it('a Put Blob without Content-Length (a chunked body) is refused with 411, as Azure does', async () => {
    const created = await rpc('CreateArtifact', { name: 'z', version: 7, mime_type: 'application/zip' });
    const url = new URL(String(created.body.signed_upload_url));
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // a write before end() sends the headers without a length: Transfer-Encoding: chunked
      req.write('chunked ');
      req.end('bytes');
    });
    expect(status).toBe(411);
    expect(double.requests.at(-1)).toMatchObject({ operation: 'PutBlob', status: 411 });
    expect(double.blobs.content(double.store.all().at(-1)!.blob)).toBeUndefined();
  });
});
