import { describe, expect, it } from 'vitest';
import { InputError, UserError } from '@slipway/core';
import {
  artifactSummaryLine,
  checkArtifactService,
  isEnterpriseServer,
  uploadFailure,
  uploadSbomArtifact,
} from './sbom-artifact.ts';

const service = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results.example/' };

describe('isEnterpriseServer (the rule @actions/artifact applies)', () => {
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
        'is true, but this job runs on GitHub Enterprise Server (https://ghes.example.com), where @actions/artifact 2 and later (artifacts v4) cannot upload',
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

  it('turns a 409 from the service into a message naming artifact-name', async () => {
    const conflict = new Error(
      'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
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
      message: `This workflow run already has an artifact named 'sbom', and artifact names are unique within a run (the artifact service answered: ${conflict.message}).`,
      hint: "Set the input 'artifact-name' to a name no other step of the run uses, e.g. with the matrix values or the job name in it, or set upload-artifact to false where another step already uploads. The SBOM files were written and are still on disk: /w/out/sbom.spdx.json, /w/out/sbom.cyclonedx.json.",
      cause: conflict,
    });
  });

  it('words a quota error and any other failure with what to do and where the files are', () => {
    const quota = Object.assign(new Error('Artifact storage quota has been hit.'), { name: 'UsageError' });
    expect(uploadFailure('sbom', files.slice(0, 1), quota)).toMatchObject({
      message: "Could not upload artifact 'sbom': Artifact storage quota has been hit.",
      hint: 'Delete old artifacts or shorten their retention to free artifact storage, or set upload-artifact to false. The SBOM files were written and are still on disk: /w/out/sbom.spdx.json.',
    });
    const outage = new Error(
      'Failed to CreateArtifact: Failed to make request after 5 attempts: Failed request: (500) Internal Server Error',
    );
    expect(uploadFailure('sbom', files.slice(0, 1), outage)).toMatchObject({
      message: `Could not upload the SBOM files as artifact 'sbom': ${outage.message}`,
      hint: '@actions/artifact already retried what can be retried. The SBOM files were written and are still on disk: /w/out/sbom.spdx.json. Re-run the job once the artifact service works again (https://www.githubstatus.com), or set upload-artifact to false and upload the files in a later step.',
    });
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
