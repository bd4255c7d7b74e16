/**
 * The ZIP entries of an artifact's files: each file must be a regular file
 * inside the root directory; its entry name is its path relative to that
 * directory with forward slashes. Path characters the artifact service refuses
 * (`" : < > | * ?`, CR, LF: they break downloads on NTFS) are refused here, before
 * anything is sent. A file listed twice is archived once.
 */
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.ts';
import type { ZipEntry } from './zip-writer.ts';

/** The file system calls this module makes; tests may pass their own. */
export interface ArtifactFileSystem {
  readFile(path: string): Promise<Buffer>;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; mtime: Date }>;
}

const nodeFileSystem: ArtifactFileSystem = { readFile: (path) => readFile(path), stat };

/** The characters the artifact service refuses in a file path, as they are named in messages. */
const REFUSED_IN_PATHS: [string, string][] = [
  ['"', 'a double quote'],
  [':', 'a colon'],
  ['<', 'a less-than sign'],
  ['>', 'a greater-than sign'],
  ['|', 'a vertical bar'],
  ['*', 'an asterisk'],
  ['?', 'a question mark'],
  ['\r', 'a carriage return'],
  ['\n', 'a line feed'],
];

/** Why the service would refuse `name` as a path inside an artifact, if it would. */
export function artifactPathProblem(name: string): string | undefined {
  const found = REFUSED_IN_PATHS.find(([char]) => name.includes(char));
  return found ? `contains ${found[1]}, which artifact paths may not contain` : undefined;
}

/** The entries for `files` under `rootDirectory`, in the order given. */
export async function artifactZipEntries(
  files: readonly string[],
  rootDirectory: string,
  fs: ArtifactFileSystem = nodeFileSystem,
): Promise<ZipEntry[]> {
  const root = resolve(rootDirectory);
  const rootStat = await fs.stat(root).catch(() => undefined);
  if (!rootStat?.isDirectory())
    throw new UserError(`The artifact's root directory ${root} does not exist or is not a directory.`);
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const path = resolve(file);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside))
      throw new UserError(`${path} is not inside the artifact's root directory ${root}.`);
    const name = inside.split(sep).join('/');
    const problem = artifactPathProblem(name);
    if (problem) throw new UserError(`Cannot upload ${path}: its path in the artifact, ${name}, ${problem}.`);
    if (seen.has(name)) continue;
    seen.add(name);
    const info = await fs.stat(path).catch(() => undefined);
    if (!info?.isFile())
      throw new UserError(`Cannot upload ${path}: it does not exist or is not a regular file.`);
    entries.push({ name, data: await fs.readFile(path), modified: info.mtime });
  }
  return entries;
}
