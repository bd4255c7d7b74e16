/**
 * From the changed files of a pull request to the root modules to plan, as a
 * GitHub Actions matrix. A file belongs to the deepest directory with Terraform
 * files that contains it; a root is planned when a file of the root itself, of
 * a local module it uses (directly or through other modules), or one of its
 * var/backend files changed. Markdown files never trigger a plan.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { UserError } from '@slipway/core';
import type { ChangedFiles } from './changed-files.ts';
import { buildModuleGraph, dirOf, isTerraformFile, moduleClosure, type ModuleGraph } from './module-graph.ts';
import type { RepoSnapshot } from './repo-snapshot.ts';
import { cloudOf, type Cloud, type CloudLogin } from './cloud-login.ts';
import { SETTINGS_PATH, type ProjectSettings, type TfSettings } from './settings-file.ts';

/** GitHub runs at most this many jobs from one matrix. */
export const MATRIX_JOB_LIMIT = 256;

export interface Project {
  dir: string;
  settings: ProjectSettings;
  /** `file:line` of the settings entry; absent for found roots. */
  where?: string;
}

/** A root module to plan: its settings as strings for the workflow's steps. */
export interface MatrixEntry extends CloudLogin {
  dir: string;
  workspace: string;
  /** Whose login oidc-login does: aws, gcp, azure, or '' for none (cloud-login.ts). */
  cloud: Cloud | '';
  environment: string;
  /** Newline-separated, as multi-line action inputs take them. */
  'backend-config': string;
  'var-files': string;
  /** Why this root is planned, for logs and the job name. */
  reason: string;
}

export interface ChangeMapping {
  matrix: { include: MatrixEntry[] };
  /** Root directories this pull request removed: not planned, their state may still hold resources. */
  deleted: { dir: string; workspace: string }[];
  warnings: string[];
}

/** Roots from the settings, or (without `projects`) every Terraform directory no other one uses as a module. */
export function findProjects(
  settings: TfSettings,
  snapshot: RepoSnapshot,
  graph: ModuleGraph | null,
  warnings: string[],
) {
  const found: Project[] = [];
  const missing: Project[] = [];
  if (settings.projects === null) {
    const used = new Set([...(graph?.deps.values() ?? [])].flatMap((deps) => [...deps]));
    for (const dir of [...snapshot.terraformDirs].sort()) {
      if (!used.has(dir)) found.push({ dir, settings: settings.defaults });
    }
    return { found, missing };
  }
  const taken = new Set<string>();
  const key = (p: Project) => `${p.dir}\0${p.settings.workspace}`;
  for (const rule of settings.projects.filter((r) => r.dir !== undefined)) {
    const project = { dir: rule.dir!, settings: rule.settings, where: rule.where };
    taken.add(key(project));
    (snapshot.terraformDirs.has(project.dir) ? found : missing).push(project);
  }
  for (const rule of settings.projects.filter((r) => r.glob !== undefined)) {
    const matches = picomatch(rule.glob!, { dot: true });
    const dirs = [...snapshot.terraformDirs].filter((d) => matches(d)).sort();
    if (dirs.length === 0)
      warnings.push(`${rule.where}: dirs "${rule.glob}" matches no directory with Terraform files.`);
    for (const dir of dirs) {
      const project = { dir, settings: rule.settings, where: rule.where };
      if (!taken.has(key(project))) {
        taken.add(key(project));
        found.push(project);
      }
    }
  }
  return { found, missing };
}

/** The deepest of `dirs` that contains `path` (a file directly in it or below it). */
function ownerOf(path: string, dirs: ReadonlySet<string>): string | null {
  let dir = dirOf(path);
  for (;;) {
    if (dirs.has(dir)) return dir;
    if (dir === '.') return null;
    dir = dirOf(dir);
  }
}

/** Files outside the directory that a root reads: var files and backend config files. */
function watchedFiles(project: Project): string[] {
  const files = [
    ...project.settings.varFiles,
    ...project.settings.backendConfig.filter((v) => !v.includes('=')),
  ];
  return files.map((f) => posix.normalize(posix.join(project.dir, f)));
}

function entryFor(project: Project, reason: string): MatrixEntry {
  return {
    dir: project.dir,
    workspace: project.settings.workspace,
    cloud: cloudOf(project.settings.login),
    ...project.settings.login,
    environment: project.settings.environment,
    'backend-config': project.settings.backendConfig.join('\n'),
    'var-files': project.settings.varFiles.join('\n'),
    reason,
  };
}

/**
 * Maps the changed files to the roots to plan. With an incomplete file list (the
 * 3000-file cap) or a change to the settings file, every root is planned;
 * `'all'` plans every root (scheduled drift checks).
 */
export async function mapChanges(
  changes: ChangedFiles | 'all',
  snapshot: RepoSnapshot,
  settings: TfSettings,
): Promise<ChangeMapping> {
  const warnings: string[] = [];
  const start = settings.projects === null ? snapshot.terraformDirs : [];
  let graph = settings.projects === null ? await buildModuleGraph(start, snapshot) : null;
  const { found, missing } = findProjects(settings, snapshot, graph, warnings);
  graph ??= await buildModuleGraph(
    found.map((p) => p.dir),
    snapshot,
  );
  warnings.push(...graph.warnings);

  const files = changes === 'all' ? [] : changes.files;
  const paths = files
    .flatMap((f) => [f.path, ...(f.previousPath !== undefined ? [f.previousPath] : [])])
    .filter((p) => !p.endsWith('.md'));
  // directories that lost all their Terraform files in this pull request
  const vanished = new Set(
    files
      .flatMap((f) =>
        f.status === 'removed' ? [f.path] : f.previousPath !== undefined ? [f.previousPath] : [],
      )
      .filter(isTerraformFile)
      .map(dirOf)
      .filter((d) => !snapshot.terraformDirs.has(d)),
  );
  const deleted: ChangeMapping['deleted'] = [];
  for (const project of missing) {
    if (!vanished.has(project.dir)) {
      throw new UserError(
        `${project.where}: ${project.dir} has no Terraform files at ${snapshot.sha.slice(0, 12)}. Fix the entry or remove it.`,
      );
    }
  }
  // configured roots that vanished: exact entries, and directories a `dirs` glob matched before
  const lost = [...missing];
  for (const rule of settings.projects?.filter((r) => r.glob !== undefined) ?? []) {
    const matches = picomatch(rule.glob!, { dot: true });
    for (const dir of [...vanished].filter((d) => matches(d))) {
      const taken = lost.some((p) => p.dir === dir && p.settings.workspace === rule.settings.workspace);
      if (!taken) lost.push({ dir, settings: rule.settings, where: rule.where });
    }
  }
  const deletedDirs = settings.projects === null ? [...vanished] : [...new Set(lost.map((p) => p.dir))];
  for (const dir of deletedDirs.sort()) {
    const workspaces = lost.filter((p) => p.dir === dir).map((p) => p.settings.workspace);
    for (const workspace of workspaces.length > 0 ? workspaces : [settings.defaults.workspace]) {
      deleted.push({ dir, workspace });
      warnings.push(
        `${dir} no longer has Terraform files: it is not planned. If it was a root module, its state (workspace ${workspace}) may still hold resources: destroy them (plan with -destroy) before removing the code, or remove the state.`,
      );
    }
  }

  let everything: string | null = null;
  if (changes === 'all') {
    everything = 'all root modules';
  } else if (!changes.complete) {
    everything = 'file list truncated';
    warnings.push(
      `This pull request changes ${files.length} or more files; GitHub lists at most that many, so changes could be missed: every root module is planned.`,
    );
  } else if (paths.includes(SETTINGS_PATH)) {
    everything = `${SETTINGS_PATH} changed`;
  }

  const owned = new Map<string, string[]>();
  for (const path of paths) {
    const owner = ownerOf(path, snapshot.terraformDirs);
    if (owner !== null) owned.set(owner, [...(owned.get(owner) ?? []), path]);
  }
  const include: MatrixEntry[] = [];
  for (const project of found) {
    const closure = moduleClosure(graph, project.dir);
    const triggers: string[] = [];
    if (everything) triggers.push(everything);
    for (const dir of closure) {
      for (const path of owned.get(dir) ?? [])
        triggers.push(dir === project.dir ? path : `module ${dir} (${path})`);
      if (graph.unreadable.has(dir)) triggers.push(`${dir} could not be parsed`);
    }
    const watched = new Set(watchedFiles(project));
    for (const path of paths)
      if (watched.has(path) && ownerOf(path, snapshot.terraformDirs) !== project.dir) triggers.push(path);
    if (triggers.length === 0) continue;
    const more = triggers.length > 1 ? ` (+${triggers.length - 1} more)` : '';
    include.push(entryFor(project, `${triggers[0]}${more}`));
  }
  include.sort((a, b) => a.dir.localeCompare(b.dir) || a.workspace.localeCompare(b.workspace));
  if (include.length > MATRIX_JOB_LIMIT) {
    throw new UserError(
      `${include.length} root modules to plan, more than the ${MATRIX_JOB_LIMIT} jobs GitHub runs from one matrix.`,
      {
        hint: 'Split the change into smaller pull requests, or split the projects across several workflows.',
      },
    );
  }
  return { matrix: { include }, deleted, warnings };
}
