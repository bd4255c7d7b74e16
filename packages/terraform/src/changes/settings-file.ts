/**
 * `.github/slipway-tf.yml`: which directories are Terraform root modules and how
 * each is planned. Every error names the file, the line and what is accepted.
 *
 * ```yaml
 * defaults:                      # optional, for every project
 *   role: arn:aws:iam::111122223333:role/tf-plan
 *   workspace: default
 * projects:                      # optional; without it every root module is found by itself
 *   - dir: infra/prod            # one directory ...
 *     environment: production
 *     backend-config: [backend/prod.hcl, "key=prod.tfstate"]
 *     var-files: [prod.tfvars]   # relative to the directory, like -var-file
 *   - dirs: "services/*"         # ... or a glob over directories with Terraform files
 *     workspace: staging
 * ```
 *
 * Cloud login per directory (AWS `role`, Google Cloud `workload-identity-provider`, Azure
 * `client-id`/`tenant-id`, ...): see cloud-login.ts.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { UserError } from '@slipway/core';
import { normalizeDirectory, validateWorkspace } from '../lock/lock-name.ts';
import {
  ALL_CLOUD_KEYS,
  checkCloudLoginComplete,
  checkCloudValue,
  emptyCloudLogin,
  isCloudKey,
  mergeCloudLogin,
  type CloudKey,
  type CloudLogin,
} from './cloud-login.ts';

export const SETTINGS_PATH = '.github/slipway-tf.yml';

export interface ProjectSettings {
  workspace: string;
  /** oidc-login settings of the directory's cloud (cloud-login.ts); every key '' without one. */
  login: CloudLogin;
  environment: string;
  /** `-backend-config` values: a file relative to the directory, or `key=value`. */
  backendConfig: string[];
  /** `-var-file` values, relative to the directory. */
  varFiles: string[];
}

export interface ProjectRule {
  /** An exact directory (`dir:`) or a glob over directories (`dirs:`). */
  dir?: string;
  glob?: string;
  settings: ProjectSettings;
  /** `file:line` of the entry, for messages. */
  where: string;
}

export interface TfSettings {
  defaults: ProjectSettings;
  /** Null when the file has no `projects` list: roots are then found by themselves. */
  projects: ProjectRule[] | null;
}

const SETTING_KEYS = ['workspace', 'environment', 'backend-config', 'var-files'] as const;
const TOP_KEYS = ['version', 'defaults', 'projects'];

export const builtinDefaults = (): ProjectSettings => ({
  workspace: 'default',
  login: emptyCloudLogin(),
  environment: '',
  backendConfig: [],
  varFiles: [],
});

export function defaultSettings(): TfSettings {
  return { defaults: builtinDefaults(), projects: null };
}

export function parseSettings(text: string, file = SETTINGS_PATH): TfSettings {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const at = (node: unknown) => {
    const pos = lineCounter.linePos((node as Node | null)?.range?.[0] ?? 0);
    return `${file}:${pos.line}`;
  };
  const [error] = doc.errors;
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    throw new UserError(`${file}:${pos.line}: not valid YAML: ${error.message.split('\n')[0]}`);
  }
  const settings = defaultSettings();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return settings;
  if (!isMap(root)) throw new UserError(`${at(root)}: expected a mapping with keys ${TOP_KEYS.join(', ')}`);
  // defaults first, wherever they are in the file: projects inherit them
  const ordered = [...root.items].sort(
    (a, b) => Number(keyOf(b) === 'defaults') - Number(keyOf(a) === 'defaults'),
  );
  for (const pair of ordered) {
    const key = keyOf(pair);
    const value = pair.value as Node | null;
    if (key === 'version') {
      if (!isScalar(value) || value.value !== 1)
        throw new UserError(`${at(value ?? pair.key)}: 'version' must be 1`);
    } else if (key === 'defaults') {
      if (!isMap(value))
        throw new UserError(`${at(value ?? pair.key)}: 'defaults' must be a mapping of settings`);
      settings.defaults = readSettings(value, builtinDefaults(), at, 'defaults');
    } else if (key === 'projects') {
      if (!isSeq(value))
        throw new UserError(`${at(value ?? pair.key)}: 'projects' must be a list of entries`);
      settings.projects = value.items.map((item, i) => {
        if (!isMap(item))
          throw new UserError(`${at(item)}: projects[${i}] must be a mapping with 'dir' or 'dirs'`);
        return readProject(item, settings.defaults, at, `projects[${i}]`);
      });
    } else {
      throw new UserError(`${at(pair.key)}: unknown key '${key}'. Expected one of: ${TOP_KEYS.join(', ')}`);
    }
  }
  checkDuplicates(settings.projects ?? []);
  // the login each root gets must be complete (defaults may hold a shared part, e.g. tenant-id)
  if (settings.projects === null) {
    const where = root.items.find((p) => keyOf(p) === 'defaults');
    checkCloudLoginComplete(settings.defaults.login, 'defaults', at(where?.key ?? root));
  }
  (settings.projects ?? []).forEach((p, i) =>
    checkCloudLoginComplete(p.settings.login, `projects[${i}]`, p.where),
  );
  return settings;
}

const FIELD: Record<(typeof SETTING_KEYS)[number], keyof ProjectSettings> = {
  workspace: 'workspace',
  environment: 'environment',
  'backend-config': 'backendConfig',
  'var-files': 'varFiles',
};

function keyOf(pair: { key: unknown }): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

type At = (node: unknown) => string;

function readProject(map: YAMLMap, defaults: ProjectSettings, at: At, path: string): ProjectRule {
  const dirNode = map.get('dir', true) as Node | undefined;
  const dirsNode = map.get('dirs', true) as Node | undefined;
  if ((dirNode === undefined) === (dirsNode === undefined)) {
    throw new UserError(`${at(map)}: ${path} needs exactly one of 'dir' (a directory) or 'dirs' (a glob)`);
  }
  const rule: ProjectRule = {
    settings: readSettings(map, { ...defaults }, at, path, ['dir', 'dirs']),
    where: at(map),
  };
  if (dirNode !== undefined) {
    const dir = nonEmptyString(dirNode, `${path}.dir`, at);
    rule.dir = wrap(() => normalizeDirectory(dir, `${path}.dir`), at(dirNode));
  } else {
    rule.glob = nonEmptyString(dirsNode!, `${path}.dirs`, at).replace(/^\.\//, '').replace(/\/+$/, '');
  }
  return rule;
}

function readSettings(
  map: YAMLMap,
  into: ProjectSettings,
  at: At,
  path: string,
  extraKeys: string[] = [],
): ProjectSettings {
  const cloud: { key: CloudKey; value: string; where: string }[] = [];
  for (const pair of map.items) {
    const key = keyOf(pair);
    const value = pair.value as Node | null;
    if (extraKeys.includes(key)) continue;
    if (isCloudKey(key)) {
      const text = nonEmptyString(value, `${path}.${key}`, at);
      cloud.push({ key, value: checkCloudValue(key, text, path, at(value)), where: at(pair.key) });
      continue;
    }
    switch (key) {
      case 'workspace': {
        const workspace = nonEmptyString(value, `${path}.workspace`, at);
        into.workspace = wrap(() => validateWorkspace(workspace, `${path}.workspace`), at(value));
        break;
      }
      case 'environment':
        into[key] = nonEmptyString(value, `${path}.${key}`, at);
        break;
      case 'backend-config':
      case 'var-files':
        into[FIELD[key] as 'backendConfig' | 'varFiles'] = stringList(value, `${path}.${key}`, at);
        break;
      default:
        throw new UserError(
          `${at(pair.key)}: unknown key '${key}' in ${path}. Expected one of: ${[...extraKeys, ...SETTING_KEYS, ...ALL_CLOUD_KEYS].join(', ')}`,
        );
    }
  }
  into.login = mergeCloudLogin(into.login, cloud, path);
  for (const file of into.varFiles) {
    if (file.includes('\n'))
      throw new UserError(`${at(map)}: ${path}.var-files entries must be single paths`);
  }
  return into;
}

function nonEmptyString(node: Node | null, path: string, at: At): string {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    throw new UserError(`${at(node)}: ${path} must be a non-empty string`);
  }
  return node.value.trim();
}

/** A list of strings; a single string is taken as a list of one. */
function stringList(node: Node | null, path: string, at: At): string[] {
  if (isScalar(node) && typeof node.value === 'string') return [nonEmptyString(node, path, at)];
  if (!isSeq(node)) throw new UserError(`${at(node)}: ${path} must be a list of strings`);
  return node.items.map((item, i) => nonEmptyString(item as Node, `${path}[${i}]`, at));
}

function wrap<T>(fn: () => T, where: string): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`${where}: ${error.message}`, { hint: error.hint });
    throw error;
  }
}

function checkDuplicates(projects: ProjectRule[]): void {
  const seen = new Map<string, string>();
  for (const p of projects) {
    if (p.dir === undefined) continue;
    const key = `${p.dir}\0${p.settings.workspace}`;
    const first = seen.get(key);
    if (first) {
      throw new UserError(
        `${p.where}: ${p.dir} (workspace ${p.settings.workspace}) is already configured at ${first}. Give each directory and workspace one entry.`,
      );
    }
    seen.set(key, p.where);
  }
}
