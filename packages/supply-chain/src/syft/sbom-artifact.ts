/**
 * The SBOM files as one workflow artifact: whether this job can upload one at
 * all (checked before syft is installed), the upload itself, and what a failed
 * upload tells the person who has to fix it. The uploader is injected; the
 * action passes `artifactUploader`'s, @slipway/core's artifacts v4 client, which
 * already retries what a later attempt can fix (5xx, 429, no answer).
 */
import {
  InputError,
  UserError,
  createHttpTransport,
  errorMessage,
  type HttpTransport,
  type MaskSink,
} from '@slipway/core';
import {
  ArtifactStorageQuotaError,
  ArtifactUploadError,
  artifactServiceFromEnv,
  uploadArtifact,
} from '@slipway/core/artifacts';

/** Uploads files as one workflow artifact; returns its id. */
export type ArtifactUploader = (
  name: string,
  files: string[],
  rootDirectory: string,
) => Promise<number | undefined>;

export interface ArtifactUpload {
  name: string;
  /** The files' paths inside the zip are relative to this directory. */
  rootDirectory: string;
  uploader: ArtifactUploader;
}

/**
 * True for a GitHub Enterprise Server URL: only github.com, *.ghe.com (GHE.com)
 * and *.localhost have the results service that artifacts v4 need (the rule
 * @actions/artifact's isGhes() applies too).
 */
export function isEnterpriseServer(serverUrl: string | undefined): boolean {
  const url = serverUrl || 'https://github.com';
  if (!URL.canParse(url)) return true;
  const host = new URL(url).hostname.toLowerCase();
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

/**
 * Refuses `upload-artifact: true` where no upload can work: on GHES, or outside
 * a runner job (no ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL). Called before
 * anything is installed or run.
 */
export function checkArtifactService(env: Record<string, string | undefined>): void {
  if (isEnterpriseServer(env.GITHUB_SERVER_URL)) {
    throw new InputError(
      'upload-artifact',
      `is true, but this job runs on GitHub Enterprise Server (${env.GITHUB_SERVER_URL}), which has no artifacts v4 service to upload to`,
      'false on GHES; upload the paths in the `files` output in a later step with actions/upload-artifact@v3, the version GHES supports',
    );
  }
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new InputError(
      'upload-artifact',
      `is true, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so there is no artifact service to upload to (the runner sets both for JavaScript actions)`,
      'false when the action runs outside a GitHub Actions job',
    );
  }
}

/** How the uploader talks to the service: the log masker, the log, and (tests) the transport. */
export interface ArtifactUploaderIo {
  mask: MaskSink;
  log: (line: string) => void;
  http?: HttpTransport;
}

/** Socket inactivity bound of each request to the artifact service and blob storage. */
const ARTIFACT_TIMEOUT_MS = 60_000;

/**
 * The uploader of this job's artifact service: refuses GHES and a job without
 * the service (checkArtifactService), reads and masks the runtime token, and
 * refuses one without the run's results scope, all before any request.
 */
export function artifactUploader(
  env: Record<string, string | undefined>,
  io: ArtifactUploaderIo,
): ArtifactUploader {
  checkArtifactService(env);
  const service = artifactServiceFromEnv(env, io.mask);
  const http = io.http ?? createHttpTransport({ userAgent: 'slipway-sbom', timeoutMs: ARTIFACT_TIMEOUT_MS });
  return async (name, files, rootDirectory) => {
    const uploaded = await uploadArtifact(
      service,
      { name, files, rootDirectory },
      { http, log: io.log, mask: io.mask },
    );
    return uploaded.id;
  };
}

/** Uploads the SBOM files; any failure becomes a UserError that says what to do and where the files are. */
export async function uploadSbomArtifact(
  upload: ArtifactUpload,
  files: string[],
): Promise<number | undefined> {
  try {
    return await upload.uploader(upload.name, files, upload.rootDirectory);
  } catch (error) {
    throw uploadFailure(upload.name, files, error);
  }
}

/** The message for an upload that failed with `error`. */
export function uploadFailure(name: string, files: string[], error: unknown): UserError {
  const reason = errorMessage(error);
  const kept = `The SBOM files were written and are still on disk: ${files.join(', ')}.`;
  if (error instanceof ArtifactUploadError && error.step === 'CreateArtifact' && error.status === 409) {
    return new UserError(
      `This workflow run already has an artifact named '${name}', and artifact names are unique within a run (${reason}).`,
      {
        hint: `Set the input 'artifact-name' to a name no other step of the run uses, e.g. with the matrix values or the job name in it, or set upload-artifact to false where another step already uploads. ${kept}`,
        cause: error,
      },
    );
  }
  if (error instanceof ArtifactStorageQuotaError) {
    return new UserError(
      `Could not upload artifact '${name}': the artifact storage quota is used up (${reason}).`,
      {
        hint: `Delete old artifacts or shorten their retention to free artifact storage, or set upload-artifact to false. ${kept}`,
        cause: error,
      },
    );
  }
  if (error instanceof UserError) {
    return new UserError(`Could not upload the SBOM files as artifact '${name}': ${reason}`, {
      hint: `${error.hint ? `${error.hint} ` : ''}${kept}`,
      cause: error,
    });
  }
  return new UserError(`Could not upload the SBOM files as artifact '${name}': ${reason}`, {
    hint: `What a later attempt could fix was retried already. ${kept} Re-run the job once the artifact service works again (https://www.githubstatus.com), or set upload-artifact to false and upload the files in a later step.`,
    cause: error,
  });
}

/** The job summary line for an uploaded artifact (appended after the SBOM table, which ends in a blank line). */
export function artifactSummaryLine(name: string, id: number | undefined): string {
  return `Uploaded as workflow artifact \`${name}\`${id === undefined ? '' : ` (id ${id})`}.`;
}
