/**
 * Uploads files as one workflow artifact with the artifacts v4 protocol, as
 * actions/upload-artifact does: the files zipped in memory (zip-writer.ts),
 * CreateArtifact for a signed upload URL, one Put Blob of the zip to it, then
 * FinalizeArtifact with the zip's size and sha256, which answers the artifact id.
 * Every step retries what can pass on a later attempt (upload-retry.ts); any
 * failure is an ArtifactUploadError naming the step, or a UserError for files
 * that cannot be archived (checked before the first request).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.ts';
import type { HttpTransport } from '../http-transport.ts';
import type { MaskSink } from '../masking.ts';
import type { ArtifactService } from './artifact-service.ts';
import { artifactZipEntries, type ArtifactFileSystem } from './artifact-files.ts';
import { callArtifactService } from './artifact-twirp.ts';
import { MAX_SINGLE_PUT_BYTES, putBlockBlob } from './blob-upload.ts';
import { ArtifactUploadError, type StepRetryOptions } from './upload-retry.ts';
import { writeZip } from './zip-writer.ts';

export interface ArtifactUploadRequest {
  name: string;
  files: readonly string[];
  /** The files' paths inside the zip are relative to this directory. */
  rootDirectory: string;
  /** When the artifact expires; the repository's retention applies when absent. */
  expiresAt?: Date;
}

export interface ArtifactUploadOptions extends StepRetryOptions {
  http: HttpTransport;
  mask: MaskSink;
  fs?: ArtifactFileSystem;
}

export interface UploadedArtifact {
  id: number;
  /** Bytes of the zip. */
  size: number;
  /** `sha256:<hex>` of the zip, as FinalizeArtifact was told. */
  digest: string;
}

/**
 * The CreateArtifact `version` @actions/artifact 6.2 (the client of current upload-artifact)
 * sends, together with a `mime_type`: the service then stores this zip as it stores theirs.
 */
export const ARTIFACT_VERSION = 7;
const ZIP_TYPE = 'application/zip';

/** Characters the service refuses in an artifact name (the path characters, and both slashes). */
export function artifactNameProblem(name: string): string | undefined {
  if (name === '') return 'is empty';
  const refused = ['"', ':', '<', '>', '|', '*', '?', '\\', '/', '\r', '\n'].find((c) => name.includes(c));
  return refused ? `contains ${JSON.stringify(refused)}, which artifact names may not contain` : undefined;
}

function invalidReply(step: 'CreateArtifact' | 'FinalizeArtifact', what: string): ArtifactUploadError {
  return new ArtifactUploadError(step, `the artifact service answered ${step} with ${what}`, {
    status: 200,
    retryable: false,
  });
}

/** Uploads `request.files` as the artifact `request.name` of this job's run; returns its id, size and digest. */
export async function uploadArtifact(
  service: ArtifactService,
  request: ArtifactUploadRequest,
  options: ArtifactUploadOptions,
): Promise<UploadedArtifact> {
  const { name } = request;
  const problem = artifactNameProblem(name);
  if (problem) throw new UserError(`The artifact name ${JSON.stringify(name)} ${problem}.`);
  const entries = await artifactZipEntries(request.files, request.rootDirectory, options.fs);
  if (entries.length === 0) throw new UserError(`No files to upload as artifact '${name}'.`);
  const zip = writeZip(entries);
  if (zip.length > MAX_SINGLE_PUT_BYTES)
    throw new UserError(
      `The zip of artifact '${name}' is ${zip.length} bytes, more than the ${MAX_SINGLE_PUT_BYTES} this client uploads in one request.`,
      { hint: 'Upload files this large with actions/upload-artifact.' },
    );
  const digest = `sha256:${createHash('sha256').update(zip).digest('hex')}`;
  const ids = {
    workflow_run_backend_id: service.workflowRunBackendId,
    workflow_job_run_backend_id: service.workflowJobRunBackendId,
  };

  const created = await callArtifactService(
    service,
    'CreateArtifact',
    {
      ...ids,
      name,
      version: ARTIFACT_VERSION,
      mime_type: ZIP_TYPE,
      ...(request.expiresAt ? { expires_at: request.expiresAt.toISOString() } : {}),
    },
    options,
  );
  const uploadUrl = created.signed_upload_url;
  if (created.ok !== true || typeof uploadUrl !== 'string' || uploadUrl === '')
    throw invalidReply('CreateArtifact', 'no upload URL (ok is not true)');

  options.log(`Uploading artifact '${name}': ${entries.length} file(s), a zip of ${zip.length} bytes`);
  await putBlockBlob(uploadUrl, zip, { ...options, contentType: ZIP_TYPE });

  const finalized = await callArtifactService(
    service,
    'FinalizeArtifact',
    { ...ids, name, size: String(zip.length), hash: digest },
    options,
  );
  const id = Number(finalized.artifact_id);
  if (finalized.ok !== true || !Number.isSafeInteger(id) || id <= 0)
    throw invalidReply(
      'FinalizeArtifact',
      `no artifact id (ok ${String(finalized.ok)}, artifact_id ${JSON.stringify(finalized.artifact_id)})`,
    );
  options.log(`Artifact '${name}' uploaded: id ${id}, ${digest}`);
  return { id, size: zip.length, digest };
}
