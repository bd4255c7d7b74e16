// Third-party notices for one bundle, made from the bundle's own webpack stats (every module in every
// chunk, lazily loaded chunks included) rather than from ncc's --license, which keeps only the notices
// of the last chunk it writes (dist/sign held 2.4 MB of third-party code and named only p-map).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix, sep } from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)(\.|-|$)/i;

/**
 * The package folders (relative to `root`, with '/' separators) of every node_modules module in the
 * chunks of a webpack stats object, walking concatenated modules (`modules` nested in a module). The
 * top-level module list is not read: it also holds orphans, modules webpack left out of every chunk
 * (unused exports of a package without side effects), whose code is not in the bundle.
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
 * One notice per distinct name@version, sorted, each with the package's licence file(s) verbatim (but for
 * runs of blank lines, cut to one); a text
 * identical to one printed above (the Apache-2.0 text of a dozen packages, an author's ISC text) names
 * that notice instead of repeating it. With `textsIn` (a path), each notice names the file that holds
 * the texts instead.
 */
export function noticesText(root, packageDirs, { textsIn } = {}) {
  const notices = new Map();
  for (const dir of packageDirs) {
    const absolute = join(root, ...dir.split('/'));
    const manifest = readManifest(absolute);
    if (!manifest) continue; // a folder such as node_modules/x/dist without its own package.json
    const id = `${manifest.name}@${manifest.version}`;
    if (notices.has(id)) continue;
    const files = textsIn
      ? []
      : readdirSync(absolute)
          .filter((file) => LICENSE_FILE.test(file))
          .sort();
    // Runs of blank lines inside a text are cut to one: two blank lines separate the notices (see
    // noticeIds), and the LGPL-3.0 text (openpgp) has two in a row.
    const text = files
      .map((file) =>
        readFileSync(join(absolute, file), 'utf8')
          .trim()
          .replace(/\n\s*\n(\s*\n)+/g, '\n\n'),
      )
      .join('\n\n');
    notices.set(id, { licence: licenseField(manifest), text });
  }
  const printed = new Map(); // licence text -> the id it was printed with
  return [...notices.keys()]
    .sort()
    .map((id) => {
      const { licence, text } = notices.get(id);
      let body = text;
      if (textsIn) body = `(licence text: ${textsIn})`;
      else if (!text) body = '(the package ships no licence file; see its licence field above)';
      else if (printed.has(text)) body = `(licence text: the same as ${printed.get(text)} above)`;
      else printed.set(text, id);
      return [id, licence, body].join('\n');
    })
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
