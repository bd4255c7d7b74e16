/**
 * The Twirp JSON methods of the artifact double
 * (`github.actions.results.api.v1.ArtifactService`, proto field names as
 * @actions/artifact 6 sends them with `useProtoFieldName`): CreateArtifact,
 * FinalizeArtifact, ListArtifacts, GetSignedArtifactURL. Each handler gets the
 * decoded request and the caller's run and job from the runtime token, and
 * returns the reply object or throws a TwirpError.
 */
import { createHash } from 'node:crypto';
import { TwirpError } from '../actions-cache/cache-server.ts';
import type { BlobService } from '../actions-cache/blob-service.ts';
import type { ArtifactStore, Artifact } from './artifact-store.ts';

export const ARTIFACT_RPCS = [
  'CreateArtifact',
  'FinalizeArtifact',
  'ListArtifacts',
  'GetSignedArtifactURL',
] as const;
export type ArtifactRpc = (typeof ARTIFACT_RPCS)[number];

/** Who is calling: the `Actions.Results:<run>:<job>` scope of the token, and whether it may write. */
export interface Caller {
  runId: string;
  jobId: string;
  canWrite: boolean;
}

type Input = Record<string, unknown>;
type Reply = Record<string, unknown>;

/** The message the service answers a second artifact of the same name in a run with (409). */
export const DUPLICATE_NAME_MESSAGE = 'an artifact with this name already exists on the workflow run';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function artifactRpcs(
  store: ArtifactStore,
  blobs: BlobService,
  base: () => string,
): Record<ArtifactRpc, (input: Input, caller: Caller) => Reply> {
  /** The run the request names, which must be the token's own. */
  const ownRun = (input: Input, caller: Caller) => {
    const runId = text(input.workflow_run_backend_id);
    const jobId = text(input.workflow_job_run_backend_id);
    if (!runId || !jobId)
      throw new TwirpError(400, 'workflow_run_backend_id and workflow_job_run_backend_id are required');
    if (runId !== caller.runId || jobId !== caller.jobId)
      throw new TwirpError(403, `the runtime token is not valid for run ${runId}, job ${jobId}`);
    return runId;
  };

  return {
    CreateArtifact(input, caller) {
      const runId = ownRun(input, caller);
      const name = text(input.name);
      if (!name) throw new TwirpError(400, 'name is required');
      if (!caller.canWrite)
        throw new TwirpError(403, 'artifact upload denied: the runtime token has no writable scope');
      const expires = text(input.expires_at);
      const expiresAt = expires ? new Date(expires) : undefined;
      if (expiresAt && !(expiresAt.getTime() > Date.now()))
        throw new TwirpError(400, `expires_at ${expires} is not a future timestamp`);
      const created = store.create({
        runId,
        jobId: caller.jobId,
        name,
        mimeType: text(input.mime_type) || undefined,
        version: Number(input.version ?? 0),
        expiresAt,
      });
      if ('conflict' in created) throw new TwirpError(409, DUPLICATE_NAME_MESSAGE);
      return { ok: true, signed_upload_url: blobs.signedUrl(base(), created.artifact.blob, 'cw') };
    },
    FinalizeArtifact(input, caller) {
      const runId = ownRun(input, caller);
      const name = text(input.name);
      const artifact = store.pending(runId, name);
      if (!artifact) throw new TwirpError(404, `no artifact named ${name} waits to be finalized`);
      const uploaded = blobs.content(artifact.blob);
      if (!uploaded) throw new TwirpError(400, `nothing was uploaded for artifact ${name}`);
      const size = Number(text(input.size) || input.size);
      if (size !== uploaded.length)
        throw new TwirpError(400, `size ${size} does not match the ${uploaded.length} bytes uploaded`);
      const digest = `sha256:${createHash('sha256').update(uploaded).digest('hex')}`;
      const hash = text(input.hash);
      if (hash && hash !== digest)
        throw new TwirpError(400, `hash ${hash} does not match the uploaded content (${digest})`);
      artifact.size = size;
      artifact.digest = hash || undefined;
      artifact.finalized = true;
      return { ok: true, artifact_id: String(artifact.id) };
    },
    ListArtifacts(input, caller) {
      const runId = ownRun(input, caller);
      const name = text(input.name_filter);
      const id = text(input.id_filter);
      const found = store.finalized(runId, {
        ...(name ? { name } : {}),
        ...(id ? { id: Number(id) } : {}),
      });
      return { artifacts: found.map(listed) };
    },
    GetSignedArtifactURL(input, caller) {
      const runId = ownRun(input, caller);
      const name = text(input.name);
      const artifact = store.finalized(runId, { name })[0];
      if (!artifact) throw new TwirpError(404, `artifact ${name} not found`);
      return { signed_url: blobs.signedUrl(base(), artifact.blob, 'r') };
    },
  };
}

/** One `ListArtifactsResponse_MonolithArtifact` in proto JSON (int64 as strings, Timestamp as RFC 3339). */
function listed(a: Artifact): Reply {
  return {
    workflow_run_backend_id: a.runId,
    workflow_job_run_backend_id: a.jobId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.size ?? 0),
    created_at: a.createdAt.toISOString(),
    ...(a.digest ? { digest: a.digest } : {}),
  };
}
