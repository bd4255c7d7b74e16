import { describe, expect, it } from 'vitest';
import { InputError, UserError } from '@slipway/core';
import { ArtifactStorageQuotaError, ArtifactUploadError, ZipLimitError } from '@slipway/core/artifacts';
import {
  artifactSummaryLine,
  artifactUploader,
  checkArtifactService,
  isEnterpriseServer,
  uploadFailure,
  uploadSbomArtifact,
} from './sbom-artifact.ts';

const service = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results.example/' };

describe('isEnterpriseServer (only github.com, GHE.com and *.localhost have artifacts v4)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['https://github.com', false],
    ['https://GitHub.com/', false],
    ['https://octo.ghe.com', false],
    ['http://github.localhost', false],
    ['https://ghes.example.com', true],
    ['https://github.com.evil.example', true],
    ['http://127.0.0.1:8080', true],
    ['not a url', true],
  ])('%j -> %j', (url, ghes) => {
    expect(isEnterpriseServer(url)).toBe(ghes);
  });
});

describe('checkArtifactService', () => {
  it('accepts github.com with both variables', () => {
    expect(() => checkArtifactService({ ...service, GITHUB_SERVER_URL: 'https://github.com' })).not.toThrow();
  });

  it('refuses GHES, naming the input and the alternative', () => {
    expect(() => checkArtifactService({ ...service, GITHUB_SERVER_URL: 'https://ghes.example.com' })).toThrow(
      new InputError(
        'upload-artifact',
        'is true, but this job runs on GitHub Enterprise Server (https://ghes.example.com), which has no artifacts v4 service to upload to',
        'false on GHES; upload the paths in the `files` output in a later step with actions/upload-artifact@v3, the version GHES supports',
      ),
    );
  });

  it.each([
    [{}, 'ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set'],
    [{ ACTIONS_RUNTIME_TOKEN: 't' }, 'ACTIONS_RESULTS_URL is not set'],
    [{ ACTIONS_RESULTS_URL: 'u', ACTIONS_RUNTIME_TOKEN: '' }, 'ACTIONS_RUNTIME_TOKEN is not set'],
  ])('refuses a job without the artifact service %j', (env, missing) => {
    expect(() => checkArtifactService(env)).toThrow(
      `Input 'upload-artifact' is true, but ${missing}, so there is no artifact service to upload to (the runner sets both for JavaScript actions). Expected false when the action runs outside a GitHub Actions job.`,
    );
  });
});

describe('uploadSbomArtifact', () => {
  const files = ['/w/out/sbom.spdx.json', '/w/out/sbom.cyclonedx.json'];

  it('passes name, files and root directory to the uploader and returns its id', async () => {
    const calls: unknown[] = [];
    const id = await uploadSbomArtifact(
      {
        name: 'sbom-linux',
        rootDirectory: '/w/out',
        uploader: async (...args) => {
          calls.push(args);
          return 42;
        },
      },
      files,
    );
    expect(id).toBe(42);
    expect(calls).toEqual([['sbom-linux', files, '/w/out']]);
  });

  it('turns a 409 from CreateArtifact into a message naming artifact-name', async () => {
    const conflict = new ArtifactUploadError(
      'CreateArtifact',
      'the artifact service answered CreateArtifact with HTTP 409 (already_exists): an artifact with this name already exists on the workflow run',
      { status: 409, code: 'already_exists', retryable: false },
    );
    const failing = uploadSbomArtifact(
      {
        name: 'sbom',
        rootDirectory: '/w/out',
        uploader: () => Promise.reject(conflict),
      },
      files,
    );
    await expect(failing).rejects.toBeInstanceOf(UserError);
    await expect(failing).rejects.toMatchObject({
      message:
        "This workflow run already has an artifact named 'sbom', and artifact names are unique within a run (the artifact service answered CreateArtifact with HTTP 409 (already_exists): an artifact with this name already exists on the workflow run).",
      hint: "Set the input 'artifact-name' to a name no other step of the run uses, e.g. with the matrix values or the job name in it, or set upload-artifact to false where another step already uploads. The SBOM files were written and are still on disk: /w/out/sbom.spdx.json, /w/out/sbom.cyclonedx.json.",
      cause: conflict,
    });
  });

  it('words a quota error, a file problem and any other failure with what to do and where the files are', () => {
    const quota = new ArtifactStorageQuotaError(
      'CreateArtifact',
      'the artifact service answered CreateArtifact with HTTP 403 (resource_exhausted): insufficient usage',
      403,
      'resource_exhausted',
    );
    expect(uploadFailure('sbom', files.slice(0, 1), quota)).toMatchObject({
      message:
        "Could not upload artifact 'sbom': the artifact storage quota is used up (the artifact service answered CreateArtifact with HTTP 403 (resource_exhausted): insufficient usage).",
      hint: 'Delete old artifacts or shorten their retention to free artifact storage, or set upload-artifact to false. The SBOM files were written and are still on disk: /w/out/sbom.spdx.json.',
    });
    const tooMany = new ZipLimitError('70000 files are more than a ZIP archive without Zip64 holds (65534)');
    expect(uploadFailure('sbom', files.slice(0, 1), tooMany)).toMatchObject({
      message: `Could not upload the SBOM files as artifact 'sbom': ${tooMany.message}`,
      hint: 'The SBOM files were written and are still on disk: /w/out/sbom.spdx.json.',
    });
    // a 409 from another step is not a duplicate name
    const outage = new ArtifactUploadError(
      'FinalizeArtifact',
      'the artifact service answered FinalizeArtifact with HTTP 500 (internal): boom',
      { status: 500, retryable: true, attempts: 5 },
    );
    for (const error of [
      outage,
      new ArtifactUploadError('PutBlob', 'blob storage answered PUT x with HTTP 409', {
        status: 409,
        retryable: false,
      }),
    ])
      expect(uploadFailure('sbom', files.slice(0, 1), error)).toMatchObject({
        message: `Could not upload the SBOM files as artifact 'sbom': ${error.message}`,
        hint: 'What a later attempt could fix was retried already. The SBOM files were written and are still on disk: /w/out/sbom.spdx.json. Re-run the job once the artifact service works again (https://www.githubstatus.com), or set upload-artifact to false and upload the files in a later step.',
      });
    expect(outage.message).toBe(
      'the artifact service answered FinalizeArtifact with HTTP 500 (internal): boom; gave up after 5 attempts',
    );
  });
});

describe('artifactUploader', () => {
  const jwt = (claims: unknown) =>
    ['{"alg":"none"}', JSON.stringify(claims)].map((p) => Buffer.from(p).toString('base64url')).join('.') +
    '.c2ln';
  const io = (sent: string[], masked: string[]) => ({
    mask: (value: string) => masked.push(value),
    log: () => {},
    http: (request: { url: string }) => {
      sent.push(request.url);
      return Promise.reject(new Error('no request expected'));
    },
  });

  it('refuses GHES and a job without the service before reading the token', () => {
    const sent: string[] = [];
    const masked: string[] = [];
    expect(() =>
      artifactUploader({ ...service, GITHUB_SERVER_URL: 'https://ghes.example.com' }, io(sent, masked)),
    ).toThrow(InputError);
    expect(() => artifactUploader({ ACTIONS_RESULTS_URL: 'https://r.example/' }, io(sent, masked))).toThrow(
      "Input 'upload-artifact' is true, but ACTIONS_RUNTIME_TOKEN is not set",
    );
    expect([sent, masked]).toEqual([[], []]);
  });

  it('masks the token and refuses one without the results scope before any request', () => {
    const sent: string[] = [];
    const masked: string[] = [];
    const token = jwt({ scp: 'Actions.GenericRead:00000000' });
    expect(() =>
      artifactUploader(
        { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: 'https://r.example/' },
        io(sent, masked),
      ),
    ).toThrow('ACTIONS_RUNTIME_TOKEN is not a JWT with an `Actions.Results:<run>:<job>` scope');
    expect(masked).toContain(token);
    expect(sent).toEqual([]);
  });
});

describe('artifactSummaryLine', () => {
  it.each([
    [7, 'Uploaded as workflow artifact `sbom` (id 7).'],
    [undefined, 'Uploaded as workflow artifact `sbom`.'],
  ])('%j', (id, line) => {
    expect(artifactSummaryLine('sbom', id)).toBe(line);
  });
});
