/**
 * The plan matrix of a pull request, entirely through the API: its changed files,
 * the tree and Terraform files at its head, and `.github/slipway-tf.yml` there.
 */
import type { GitHubClient } from '@slipway/github';
import { listPullRequestFiles } from './changed-files.ts';
import { mapChanges, type ChangeMapping } from './plan-matrix.ts';
import { readSnapshot, type RepoSnapshot } from './repo-snapshot.ts';
import { defaultSettings, parseSettings, SETTINGS_PATH, type TfSettings } from './settings-file.ts';

export async function readSettingsAt(snapshot: RepoSnapshot): Promise<TfSettings> {
  if (!snapshot.paths.has(SETTINGS_PATH)) return defaultSettings();
  const text = (await snapshot.read([SETTINGS_PATH])).get(SETTINGS_PATH) ?? '';
  return parseSettings(text, SETTINGS_PATH);
}

export async function matrixForPullRequest(
  client: GitHubClient,
  coordinates: { owner: string; repo: string },
  pull: { number: number; headSha: string },
): Promise<ChangeMapping> {
  const changes = await listPullRequestFiles(client, coordinates, pull.number);
  const snapshot = await readSnapshot(client, coordinates, pull.headSha);
  return mapChanges(changes, snapshot, await readSettingsAt(snapshot));
}

/** Every root module at `sha` (the scheduled drift check). */
export async function matrixForAllRoots(
  client: GitHubClient,
  coordinates: { owner: string; repo: string },
  sha: string,
): Promise<ChangeMapping> {
  const snapshot = await readSnapshot(client, coordinates, sha);
  return mapChanges('all', snapshot, await readSettingsAt(snapshot));
}
