export { artifactServiceFromEnv, resultsScope, type ArtifactService } from './artifact-service.ts';
export {
  uploadArtifact,
  artifactNameProblem,
  ARTIFACT_VERSION,
  type ArtifactUploadRequest,
  type ArtifactUploadOptions,
  type UploadedArtifact,
} from './upload-artifact.ts';
export {
  ArtifactUploadError,
  ArtifactStorageQuotaError,
  ARTIFACT_RETRY,
  type UploadStep,
  type UploadFailure,
} from './upload-retry.ts';
export { artifactZipEntries, artifactPathProblem, type ArtifactFileSystem } from './artifact-files.ts';
export { writeZip, ZipLimitError, type ZipEntry } from './zip-writer.ts';
