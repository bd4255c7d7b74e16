/**
 * Branch name, commit message and pull-request templates. A template is text with
 * `{{ variable }}` placeholders; an unknown variable is an input error, so a typo
 * fails before anything is read or written.
 */
import { InputError } from '@slipway/core';
import type { BumpChange } from './change-spec.ts';
import { changeList, changeTable, markdownText } from './markdown-text.ts';
import { formatValuePath } from './value-path.ts';
import type { ValueChange } from './plan.ts';

export const DEFAULT_BRANCH_TEMPLATE = 'slipway/bump/{{ image }}';
export const DEFAULT_COMMIT_TEMPLATE = 'Bump {{ summary }}\n\n{{ change_list }}\n\nSource: {{ run_url }}';
export const DEFAULT_TITLE_TEMPLATE = 'Bump {{ summary }}';
export const DEFAULT_BODY_TEMPLATE =
  'This pull request was opened by the Slipway image-bump action.\n\n{{ change_table }}\n\nSource run: {{ run_url }} (commit `{{ sha }}` of {{ source_repository }}).';

/** Variables known before anything is read: usable in every template, the branch name included. */
export const INPUT_VARIABLES = ['image', 'tag', 'digest', 'sha', 'run_url', 'source_repository'] as const;
/** Variables that need the planned edit: commit message and pull request only. */
export const PLAN_VARIABLES = ['summary', 'change_list', 'change_table', 'files'] as const;

export type TemplateVariables = Record<string, string>;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Throws InputError when `template` uses a variable outside `allowed`. */
export function checkTemplate(input: string, template: string, allowed: readonly string[]): void {
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!allowed.includes(match[1] as string)) {
      throw new InputError(
        input,
        `uses the unknown variable {{ ${match[1]} }}`,
        `a template using only ${allowed.map((v) => `{{ ${v} }}`).join(', ')}`,
      );
    }
  }
}

export function renderTemplate(template: string, variables: TemplateVariables): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => variables[name] ?? '');
}

export interface RunInfo {
  /** Commit SHA of the source run (GITHUB_SHA). */
  sha: string;
  runUrl: string;
  sourceRepository: string;
}

/** Variables from the change list and the run, before any file is read. */
export function inputVariables(changes: readonly BumpChange[], run: RunInfo): TemplateVariables {
  const images = [...new Set(changes.map(imageOf))];
  const first = changes[0] && imageParts(changes[0]);
  const tag = first?.tag;
  const digest = first?.digest;
  return {
    image: images.join('+'),
    tag: tag ?? '',
    digest: digest ?? '',
    sha: run.sha,
    run_url: run.runUrl,
    source_repository: run.sourceRepository,
  };
}

function imageOf(change: BumpChange): string {
  return imageParts(change).name;
}

/**
 * Name, tag and digest of a change before its file is read. For a change whose kind the file's
 * content decides, both readings agree whenever both parsed (without `=` a kustomize spec is the
 * image reference itself), so whichever parsed is used.
 */
function imageParts(change: BumpChange): { name: string; tag?: string; digest?: string } {
  if (change.kind === 'helm-value') return { name: formatValuePath(change.path), tag: change.value };
  const kustomize =
    change.kind === 'kustomize' ? change.image : change.kind === 'image' ? change.kustomize : undefined;
  if (kustomize && !(kustomize instanceof Error))
    return { name: kustomize.name, tag: kustomize.newTag, digest: kustomize.digest };
  const helm = change.kind === 'helm-image' ? change : change.kind === 'image' ? change.helm : undefined;
  if (helm && !(helm instanceof Error))
    return { name: helm.image.name, tag: helm.image.tag, digest: helm.image.digest };
  throw new Error(`change for ${change.file} has no image that parsed`);
}

/** Adds the variables that describe the planned edit. */
export function planVariables(base: TemplateVariables, changes: readonly ValueChange[]): TemplateVariables {
  const latest = new Map<string, string>();
  for (const change of changes) {
    const shown = change.to === undefined ? undefined : shorten(change.to);
    if (
      shown !== undefined &&
      (!latest.has(change.image) || change.target.endsWith('Tag') || change.target.endsWith('.tag'))
    )
      latest.set(change.image, shown);
  }
  const summary = [...latest].map(([image, to]) => `${image} to ${to}`).join(', ');
  return {
    ...base,
    summary: summary || base.image || 'images',
    change_list: changeList(changes),
    change_table: changeTable(changes),
    files: [...new Set(changes.map((c) => c.file))].join(', '),
  };
}

/**
 * The variables for the pull request body (Markdown): every value that can come
 * from outside (image names, tags, paths, old values read from the files) escaped
 * by `markdownText`, the change list escaped line by line, the table built escaped.
 */
export function markdownVariables(
  base: TemplateVariables,
  changes: readonly ValueChange[],
): TemplateVariables {
  const plain = planVariables(base, changes);
  const escaped = Object.fromEntries(
    Object.entries(plain).map(([name, value]) => [name, markdownText(value)]),
  );
  return {
    ...escaped,
    change_list: changeList(changes, markdownText),
    change_table: plain.change_table!,
  };
}

/** `sha256:0123456789abcdef…` -> `sha256:0123456789ab`; on one line (the summary heads a commit message). */
function shorten(value: string): string {
  return /^sha256:[0-9a-f]{64}$/.test(value) ? value.slice(0, 19) : value.replace(/\r\n?|\n/g, ' ');
}

/** Makes a rendered branch template a valid git branch name (git check-ref-format rules). */
export function toBranchName(rendered: string, input = 'branch'): string {
  const cleaned = rendered
    .replace(/[^A-Za-z0-9._/+-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/\/{2,}/g, '/')
    .split('/')
    .map((part) => part.replace(/^\.+/, '').replace(/\.lock$/, '-lock'))
    .filter((part) => part !== '')
    .join('/')
    .replace(/[./]+$/, '');
  if (cleaned === '')
    throw new InputError(input, `renders to '${rendered}'`, 'a template giving a branch name');
  return cleaned;
}
