/**
 * Broken links in Markdown files: a relative link whose file or folder does not exist, or whose
 * `#anchor` is not a heading (or id) of the Markdown file it points at.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { anchors, markdownLinks } from './markdown.ts';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist']);

/** Every `.md` file under `root`, outside node_modules, .git and dist, as absolute paths. */
export function markdownFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
      if (d.isDirectory()) return SKIPPED_DIRS.has(d.name) ? [] : walk(join(dir, d.name));
      return d.name.endsWith('.md') ? [join(dir, d.name)] : [];
    });
  return walk(root).sort();
}

/** `file:line: target (why)` for every link in `files` that does not resolve. */
export function brokenLinks(root: string, files: string[]): string[] {
  const anchorCache = new Map<string, Set<string>>();
  const anchorsOf = (file: string) => {
    let found = anchorCache.get(file);
    if (!found) anchorCache.set(file, (found = anchors(readFileSync(file, 'utf8'))));
    return found;
  };
  const problems: string[] = [];
  for (const file of files) {
    const where = (line: number) => `${relative(root, file)}:${line}`;
    for (const { target, line } of markdownLinks(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const hash = target.indexOf('#');
      const path = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? '' : decodeURIComponent(target.slice(hash + 1));
      const resolved =
        path === '' ? file : path.startsWith('/') ? join(root, path) : resolve(dirname(file), path);
      if (!existsSync(resolved)) {
        problems.push(`${where(line)}: ${target} (no such file)`);
        continue;
      }
      if (anchor === '' || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) continue;
      if (!anchorsOf(resolved).has(anchor))
        problems.push(`${where(line)}: ${target} (no heading #${anchor} in ${relative(root, resolved)})`);
    }
  }
  return problems;
}
