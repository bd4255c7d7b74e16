// Third-party notices for one bundle, made from the bundle's own webpack stats (every module in every
// chunk, lazily loaded chunks included) rather than from ncc's --license, which keeps only the notices
// of the last chunk it writes (dist/sign held 2.4 MB of third-party code and named only p-map).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix, sep } from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.|-|$)/i;

/**
 * The package folders (relative to `root`, with '/' separators) of every node_modules module in a
 * webpack stats object, walking concatenated modules (`modules` nested in a module) and all chunks.
 * `context`: the build's folder relative to root, when it is not root (module names are relative to it).
 */
export function packageDirsFromStats(stats, context = '') {
  const dirs = new Set();
  const visit = (modules) => {
    for (const module of modules ?? []) {
      const dir = packageDirOf(module.name ?? '');
      if (dir) dirs.add(posix.join(context.split(sep).join('/'), dir));
      visit(module.modules);
    }
  };
  visit(stats.modules);
  for (const chunk of stats.chunks ?? []) visit(chunk.modules);
  return [...dirs].sort();
}

/** `./node_modules/@a/b/lib/x.js` -> `node_modules/@a/b`; nested node_modules keep their full prefix. */
export function packageDirOf(moduleName) {
  const path = moduleName.replace(/^\.\//, '').replace(/ \+ \d+ modules?$/, '');
  const marker = 'node_modules/';
  const at = path.lastIndexOf(marker);
  if (at < 0) return undefined;
  const rest = path.slice(at + marker.length).split('/');
  const nameParts = rest[0]?.startsWith('@') ? 2 : 1;
  if (rest.length <= nameParts) return undefined;
  return path.slice(0, at + marker.length) + rest.slice(0, nameParts).join('/');
}

/**
 * One notice per distinct name@version, sorted, each with the package's licence file(s) verbatim; with
 * `textsIn` (a path), each notice names the file that holds those texts instead of repeating them.
 */
export function noticesText(root, packageDirs, { textsIn } = {}) {
  const notices = new Map();
  for (const dir of packageDirs) {
    const absolute = join(root, ...dir.split('/'));
    const manifest = readManifest(absolute);
    if (!manifest) continue; // a folder such as node_modules/x/dist without its own package.json
    const id = `${manifest.name}@${manifest.version}`;
    if (notices.has(id)) continue;
    if (textsIn) {
      notices.set(id, [id, licenseField(manifest), `(licence text: ${textsIn})`].join('\n'));
      continue;
    }
    const files = readdirSync(absolute)
      .filter((file) => LICENSE_FILE.test(file))
      .sort();
    const texts = files.map((file) => readFileSync(join(absolute, file), 'utf8').trim());
    notices.set(
      id,
      [
        id,
        licenseField(manifest),
        texts.length > 0
          ? texts.join('\n\n')
          : '(the package ships no licence file; see its licence field above)',
      ].join('\n'),
    );
  }
  return [...notices.keys()]
    .sort()
    .map((id) => notices.get(id))
    .join('\n\n\n')
    .concat('\n');
}

/** The name@version ids a notices file lists (the first line of each notice). */
export function noticeIds(text) {
  return text
    .split('\n\n\n')
    .map((block) => block.split('\n', 1)[0])
    .filter(Boolean);
}

function readManifest(dir) {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  return manifest.name && manifest.version ? manifest : undefined;
}

function licenseField(manifest) {
  if (typeof manifest.license === 'string') return manifest.license;
  if (manifest.license?.type) return manifest.license.type;
  if (Array.isArray(manifest.licenses)) return manifest.licenses.map((l) => l.type ?? l).join(' OR ');
  return 'UNKNOWN';
}
