/**
 * Which local modules each Terraform directory uses. `.tf`/`.tofu` files are read by hcl-scan.ts
 * (a scanner of HCL native syntax that finds top-level `module` blocks and their literal `source`),
 * `.tf.json` files as JSON. A `module` block whose `source` starts with `./` or `../` is a local
 * module; registry, git and other sources are not files of this repository.
 */
import { posix } from 'node:path';
import { errorMessage } from '@slipway/core';
import { scanModuleCalls, type ModuleCall } from './hcl-scan.ts';

export type { ModuleCall } from './hcl-scan.ts';

const TERRAFORM_FILE = /\.(tf|tofu)(\.json)?$/;

/** `.tf`, `.tofu` and their JSON forms, outside `.terraform/` working directories. */
export function isTerraformFile(path: string): boolean {
  return TERRAFORM_FILE.test(path) && !path.split('/').includes('.terraform');
}

export function dirOf(path: string): string {
  const dir = posix.dirname(path);
  return dir === '' ? '.' : dir;
}

/**
 * A JSON-syntax source: strings there are templates, so `$${` and `%%{` are a literal `${` and `%{`,
 * and a source with an interpolation or directive cannot be read without evaluating Terraform.
 */
function jsonSource(file: string, name: string, source: unknown): string {
  const escaped = /\$\$\{|%%\{/g;
  if (typeof source !== 'string' || /[$%]\{/.test(source.replace(escaped, '')))
    throw new Error(
      `${file}: module "${name}": the source ${JSON.stringify(source)} is not a literal string, ` +
        'so the modules it calls cannot be known here',
    );
  return source.replace(escaped, (sequence) => sequence.slice(1));
}

/** The calls of a Terraform JSON file: `module` is an object (or a list of them) of name -> body (or bodies). */
function jsonModuleCalls(file: string, blocks: unknown): ModuleCall[] {
  const calls: ModuleCall[] = [];
  const modules = (blocks as { module?: unknown } | null)?.module;
  for (const group of Array.isArray(modules) ? modules : [modules]) {
    if (group === null || typeof group !== 'object') continue;
    for (const [name, body] of Object.entries(group as Record<string, unknown>)) {
      for (const block of Array.isArray(body) ? body : [body]) {
        if (block !== null && typeof block === 'object' && 'source' in block)
          calls.push({ name, source: jsonSource(file, name, block.source), file });
      }
    }
  }
  return calls;
}

/**
 * The module calls of one file. A syntax error, or a source that is not a literal string, throws
 * with `file:line,col` (JSON: the parser's message); the caller treats the directory as unreadable.
 */
export function readModuleCalls(file: string, text: string): ModuleCall[] {
  if (!file.endsWith('.json')) return scanModuleCalls(file, text);
  let blocks: unknown;
  try {
    blocks = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON: ${errorMessage(error)}`);
  }
  return jsonModuleCalls(file, blocks);
}

/**
 * The directory a local source points at, relative to the repository root;
 * `outside` when it leaves the repository, null when the source is not local.
 */
export function localModuleDir(fromDir: string, source: string): string | 'outside' | null {
  if (!source.startsWith('./') && !source.startsWith('../')) return null;
  const joined = posix.normalize(posix.join(fromDir, source)).replace(/\/+$/, '');
  if (joined === '..' || joined.startsWith('../')) return 'outside';
  return joined === '' ? '.' : joined;
}

export interface ModuleGraph {
  /** dir -> local module directories it calls directly. */
  deps: Map<string, Set<string>>;
  /** Directories whose files could not be parsed (treated as changed by the caller). */
  unreadable: Set<string>;
  warnings: string[];
}

export interface TerraformSource {
  /** Terraform files directly in `dir`. */
  filesIn(dir: string): string[];
  /** Texts of the given files (one batch). */
  read(paths: string[]): Promise<Map<string, string>>;
}

/** Reads `startDirs` and, breadth first, every local module they reach. */
export async function buildModuleGraph(
  startDirs: Iterable<string>,
  source: TerraformSource,
): Promise<ModuleGraph> {
  const graph: ModuleGraph = { deps: new Map(), unreadable: new Set(), warnings: [] };
  let frontier = [...new Set(startDirs)];
  while (frontier.length > 0) {
    const files = frontier.flatMap((dir) => source.filesIn(dir));
    const texts = await source.read(files);
    const next: string[] = [];
    for (const dir of frontier) {
      const deps = new Set<string>();
      graph.deps.set(dir, deps);
      for (const file of source.filesIn(dir)) {
        let calls: ModuleCall[];
        try {
          calls = readModuleCalls(file, texts.get(file) ?? '');
        } catch (error) {
          graph.unreadable.add(dir);
          graph.warnings.push(`Cannot read the modules of ${dir}: ${errorMessage(error)}`);
          continue;
        }
        for (const call of calls) {
          const target = localModuleDir(dir, call.source);
          if (target === 'outside') {
            graph.warnings.push(
              `${call.file}: module "${call.name}" source "${call.source}" leaves the repository; not followed.`,
            );
          } else if (target !== null) {
            if (source.filesIn(target).length === 0) {
              graph.warnings.push(
                `${call.file}: module "${call.name}" source "${call.source}" has no Terraform files.`,
              );
            }
            deps.add(target);
            if (!graph.deps.has(target) && !next.includes(target) && !frontier.includes(target))
              next.push(target);
          }
        }
      }
    }
    frontier = next;
  }
  return graph;
}

/** `dir` and every module it reaches, directly or through other modules (cycles are fine). */
export function moduleClosure(graph: ModuleGraph, dir: string): Set<string> {
  const seen = new Set<string>([dir]);
  const stack = [dir];
  while (stack.length > 0) {
    for (const dep of graph.deps.get(stack.pop()!) ?? []) {
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return seen;
}
