/**
 * The artifacts of the artifact double and the service's rules for them: an
 * artifact belongs to a workflow run, is created by CreateArtifact (its name
 * must be unused in that run), receives one zip through the blob endpoints,
 * and becomes visible to ListArtifacts / GetSignedArtifactURL only once
 * FinalizeArtifact has checked its size and sha256 against the uploaded bytes.
 */

export interface Artifact {
  /** The database id FinalizeArtifact returns (`artifact_id`) and ListArtifacts lists. */
  id: number;
  runId: string;
  jobId: string;
  name: string;
  /** Name of the blob holding the upload (`<container>/<blob>` path on the double). */
  blob: string;
  mimeType: string | undefined;
  /** The `version` field of CreateArtifact (7 for @actions/artifact 2+). */
  version: number;
  createdAt: Date;
  expiresAt: Date | undefined;
  /** Set by FinalizeArtifact. */
  size?: number;
  /** `sha256:<hex>` as FinalizeArtifact reported it (checked against the upload). */
  digest?: string;
  finalized: boolean;
}

/** The first id handed out: far from small numbers a test could confuse it with. */
export const FIRST_ARTIFACT_ID = 4_200_001;

export class ArtifactStore {
  private readonly items: Artifact[] = [];
  private nextId = FIRST_ARTIFACT_ID;

  /** A new artifact, or the existing one of that name in the run (a conflict). */
  create(
    fields: Pick<Artifact, 'runId' | 'jobId' | 'name' | 'mimeType' | 'version' | 'expiresAt'>,
  ): { artifact: Artifact } | { conflict: Artifact } {
    const existing = this.items.find((a) => a.runId === fields.runId && a.name === fields.name);
    if (existing) return { conflict: existing };
    const id = this.nextId++;
    const zip = fields.mimeType === undefined || fields.mimeType === 'application/zip';
    const artifact: Artifact = {
      ...fields,
      id,
      blob: `runs/${fields.runId}/artifact-${id}.${zip ? 'zip' : 'bin'}`,
      createdAt: new Date(),
      finalized: false,
    };
    this.items.push(artifact);
    return { artifact };
  }

  /** The artifact of that name in the run that still waits for FinalizeArtifact. */
  pending(runId: string, name: string): Artifact | undefined {
    return this.items.find((a) => a.runId === runId && a.name === name && !a.finalized);
  }

  /** Finalized artifacts of a run, optionally filtered by name and id, in creation order. */
  finalized(runId: string, filter: { name?: string; id?: number } = {}): Artifact[] {
    return this.items.filter(
      (a) =>
        a.finalized &&
        a.runId === runId &&
        (filter.name === undefined || a.name === filter.name) &&
        (filter.id === undefined || a.id === filter.id),
    );
  }

  /** Every artifact, finalized or not, in creation order. */
  all(): readonly Artifact[] {
    return this.items;
  }

  /** Forgets every artifact; ids start again at FIRST_ARTIFACT_ID. */
  clear(): void {
    this.items.length = 0;
    this.nextId = FIRST_ARTIFACT_ID;
  }
}
