// The HCL parser: HashiCorp's HCL compiled to WebAssembly, shipped by @cdktf/hcl2json
// (main.wasm.gz + Go's wasm_exec runtime). Plain JavaScript on purpose, typed by
// hcl-parse.d.ts: the package's own typings start with `/// <reference lib="dom" />`,
// which would pull the DOM library into the whole TypeScript compilation.
//
// The package's entry (lib/bridge.js) reads main.wasm.gz through `__dirname` as soon as it is
// imported: an ESM bundle has no `__dirname`, and ncc does not see that file. So this module
// starts the WebAssembly itself, lazily, on the first parse:
// - WASM_FILE comes from hcl-wasm-file.js (see there how a bundle gets its own copy);
// - the Go runtime is the package's own wasm/bridge_wasm_exec.js (sets globalThis.Go);
// - the Go program registers its functions on `globalThis.__parse_terraform_config_wasm__`
//   and answers through a Node-style callback (the contract of hcl2json's bridge).
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import '@cdktf/hcl2json/wasm/bridge_wasm_exec.js';
import WASM_FILE from './hcl-wasm-file.js';

const EXPORTS = '__parse_terraform_config_wasm__';

let started;

function start() {
  started ??= (async () => {
    const bytes = gunzipSync(await readFile(WASM_FILE));
    const exported = {};
    globalThis[EXPORTS] = exported;
    const go = new globalThis.Go();
    const { instance } = await globalThis.WebAssembly.instantiate(bytes, go.importObject);
    // runs for the life of the process; the exported functions are registered synchronously
    void go.run(instance);
    if (typeof exported.parse !== 'function')
      throw new Error('hcl2json: the WebAssembly module did not register parse()');
    return exported;
  })();
  return started;
}

export async function parseHcl(file, text) {
  const exported = await start();
  const json = await new Promise((resolve, reject) => {
    exported.parse(file, text, (error, result) => (error ? reject(new Error(error)) : resolve(result)));
  });
  return JSON.parse(json);
}
