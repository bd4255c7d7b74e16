/**
 * The SBOM files as one workflow artifact: whether this job can upload one at
 * all (checked before syft is installed), the upload itself, and what a failed
 * upload tells the person who has to fix it. The uploader is injected; the
 * action passes @actions/artifact's, which already retries the service's 5xx.
 */
import { InputError, UserError, errorMessage } from '@slipway/core';

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
 * True for a GitHub Enterprise Server URL. The same rule as @actions/artifact's
 * isGhes(): only github.com, *.ghe.com (GHE.com) and *.localhost have the
 * results service that artifacts v4 need.
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
      `is true, but this job runs on GitHub Enterprise Server (${env.GITHUB_SERVER_URL}), where @actions/artifact 2 and later (artifacts v4) cannot upload`,
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

/** The message for an upload that failed with `error` (as @actions/artifact words it). */
export function uploadFailure(name: string, files: string[], error: unknown): UserError {
  const reason = errorMessage(error);
  const kept = `The SBOM files were written and are still on disk: ${files.join(', ')}.`;
  if (/\(409\)/.test(reason)) {
    return new UserError(
      `This workflow run already has an artifact named '${name}', and artifact names are unique within a run (the artifact service answered: ${reason}).`,
      {
        hint: `Set the input 'artifact-name' to a name no other step of the run uses, e.g. with the matrix values or the job name in it, or set upload-artifact to false where another step already uploads. ${kept}`,
        cause: error,
      },
    );
  }
  if (error instanceof Error && error.name === 'UsageError') {
    return new UserError(`Could not upload artifact '${name}': ${reason}`, {
      hint: `Delete old artifacts or shorten their retention to free artifact storage, or set upload-artifact to false. ${kept}`,
      cause: error,
    });
  }
  return new UserError(`Could not upload the SBOM files as artifact '${name}': ${reason}`, {
    hint: `@actions/artifact already retried what can be retried. ${kept} Re-run the job once the artifact service works again (https://www.githubstatus.com), or set upload-artifact to false and upload the files in a later step.`,
    cause: error,
  });
}

/** The job summary line for an uploaded artifact (appended after the SBOM table, which ends in a blank line). */
export function artifactSummaryLine(name: string, id: number | undefined): string {
  return `Uploaded as workflow artifact \`${name}\`${id === undefined ? '' : ` (id ${id})`}.`;
}
