// Minifies every .js file a bundle build wrote, chunks included: ncc --minify minifies only the entry
// file and leaves lazily loaded chunks as written (2.4 MB of Azure SDK, unminified). Function and class
// names are kept, as ncc keeps them, because error names and stack traces in the logs rely on them.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const OPTIONS = { module: true, compress: {}, mangle: true, keep_classnames: true, keep_fnames: true };

/** Minifies the ES module files directly in `dir` in place; resolves the names minified. */
export async function minifyFolder(dir) {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.js'))
    .sort();
  for (const file of files) {
    const path = join(dir, file);
    const result = await minify(readFileSync(path, 'utf8'), OPTIONS);
    if (result.code === undefined) throw new Error(`terser produced no output for ${path}`);
    writeFileSync(path, result.code);
  }
  return files;
}
