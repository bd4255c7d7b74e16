// Where hcl2json's WebAssembly (main.wasm.gz) is. In a bundle: beside the chunk that holds this
// module (the build copies it into dist/shared/, see scripts/actions-bundle/assets.js; ncc's own
// asset relocator skips files outside the folder it runs in). From the sources: the package in the
// root node_modules, where the npm workspace hoists it. Bare `path`/`url` specifiers and a
// module-level `__dirname`, so that a bundle built from the repository root (where the relocator
// does apply) still gets a relocated copy. (An ESM `new URL(file, import.meta.url)` goes through
// ncc's text loaders, which corrupt a binary file; `require.resolve` of it makes webpack parse it.)
import { existsSync } from 'fs';
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const __dirname = dirname(fileURLToPath(import.meta.url));
const besideBundle = join(__dirname, 'main.wasm.gz');

export default existsSync(besideBundle)
  ? besideBundle
  : join(__dirname, '..', '..', '..', '..', 'node_modules', '@cdktf', 'hcl2json', 'main.wasm.gz');
