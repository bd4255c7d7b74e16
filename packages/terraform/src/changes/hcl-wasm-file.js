// Where hcl2json's WebAssembly (main.wasm.gz) is. In its own small module, in exactly this
// form, because ncc's asset relocator must read it: `join(__dirname, ...)` with a module-level
// `__dirname` (the name matters) and the bare `path`/`url` specifiers (it does not know
// `node:path`). The relocator then copies main.wasm.gz beside the bundle byte for byte
// (dist/<action>/main.wasm.gz) and rewrites the path to that copy. (An ESM
// `new URL(file, import.meta.url)` is emitted through ncc's text loaders, which corrupt a binary
// file; `require.resolve` of it makes webpack parse it as a module.) From the sources, the path
// names the package in the root node_modules, where the npm workspace hoists it.
import { dirname, join } from 'path';
import { fileURLToPath } from 'url';

const __dirname = dirname(fileURLToPath(import.meta.url));

export default join(__dirname, '..', '..', '..', '..', 'node_modules', '@cdktf', 'hcl2json', 'main.wasm.gz');
