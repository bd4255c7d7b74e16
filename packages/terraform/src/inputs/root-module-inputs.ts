/**
 * The root-module inputs tf-plan and tf-apply share (same names, same validation): `tool`,
 * `version`, `working-directory`, `workspace`, `var-files` and `backend-config`. Checked before
 * any program runs or any request is made; `key=value` backend settings are masked at once.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, type InputReader, maskSecret } from '@slipway/core';
import { normaliseTfVersion, type TfTool } from '../install/tf-releases.ts';

export interface RootModuleInputs {
  tool: TfTool;
  version: string | undefined;
  /** Absolute. */
  'working-directory': string;
  /** working-directory relative to the workspace ('.' for the root), for comments, markers and manifests. */
  directoryLabel: string;
  workspace: string;
  'var-files': string[];
  'backend-config': string[];
}

/** The root module a tf-plan or tf-apply step works on, with the verified program that runs it. */
export interface RootModuleTarget {
  tool: TfTool;
  /** Absolute path of the verified tofu/terraform executable. */
  binary: string;
  toolVersion: string;
  /** Absolute. */
  workingDirectory: string;
  /** As shown to people and used in markers and manifests: the directory relative to the workspace. */
  directoryLabel: string;
  workspace: string;
  varFiles: readonly string[];
  backendConfig: readonly string[];
}

/** The step's target from the validated inputs and the installed program. */
export function rootModuleTarget(
  inputs: RootModuleInputs,
  installed: { path: string; version: string },
): RootModuleTarget {
  return {
    tool: inputs.tool,
    binary: installed.path,
    toolVersion: installed.version,
    workingDirectory: inputs['working-directory'],
    directoryLabel: inputs.directoryLabel,
    workspace: inputs.workspace,
    varFiles: inputs['var-files'],
    backendConfig: inputs['backend-config'],
  };
}

/**
 * `<temp>/<step>/<directory>@<workspace>`: one folder per directory and workspace, the directory
 * encoded so that no two directories share one.
 */
export function rootModuleOutputDir(
  temp: string,
  step: string,
  inputs: Pick<RootModuleInputs, 'directoryLabel' | 'workspace'>,
): string {
  return join(temp, step, `${encodeURIComponent(inputs.directoryLabel)}@${inputs.workspace}`);
}

const WORKSPACE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,89}$/;

/** Newline-separated items (values may contain commas); blank and `#` lines dropped. */
export function inputLines(reader: InputReader, name: string): string[] {
  return (reader.string(name) ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function readRootModuleInputs(reader: InputReader, workspaceRoot: string): RootModuleInputs {
  const tool = reader.enumeration('tool', ['tofu', 'terraform'] as const, 'tofu');
  const rawVersion = reader.string('version');
  const version = rawVersion === undefined ? undefined : normaliseTfVersion(tool, rawVersion, 'version');
  const dirInput = reader.string('working-directory') ?? '.';
  const workingDirectory = isAbsolute(dirInput) ? dirInput : resolve(workspaceRoot, dirInput);
  if (!isDirectory(workingDirectory))
    throw new InputError(
      'working-directory',
      `names ${dirInput}, which is not a directory`,
      'a root module directory relative to the workspace',
    );
  const label = relative(workspaceRoot, workingDirectory).split('\\').join('/') || '.';
  const workspace =
    reader.string('workspace', {
      pattern: WORKSPACE,
      form: 'a workspace name of letters, digits, `-`, `_` and `.` (at most 90 characters)',
    }) ?? 'default';
  const varFiles = reader.list('var-files');
  for (const file of varFiles) {
    if (!isFile(resolve(workingDirectory, file)))
      throw new InputError(
        'var-files',
        `names ${file}, which is not a file in ${label}`,
        'files relative to working-directory',
      );
  }
  const backendConfig = inputLines(reader, 'backend-config');
  for (const item of backendConfig) {
    const eq = item.indexOf('=');
    if (eq > 0) {
      maskSecret(item.slice(eq + 1));
      continue;
    }
    if (!isFile(resolve(workingDirectory, item)))
      throw new InputError(
        'backend-config',
        `has the item '${item}', which is neither key=value nor a file in ${label}`,
        '`key=value` lines or file paths relative to working-directory',
      );
  }
  return {
    tool,
    version,
    'working-directory': workingDirectory,
    directoryLabel: label,
    workspace,
    'var-files': varFiles,
    'backend-config': backendConfig,
  };
}
