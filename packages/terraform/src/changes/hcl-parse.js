// The HCL parser (HashiCorp's HCL compiled to WebAssembly by @cdktf/hcl2json).
// Plain JavaScript on purpose, typed by hcl-parse.d.ts: the package's own typings
// start with `/// <reference lib="dom" />`, which would pull the DOM library into
// the whole TypeScript compilation. A static import (not createRequire) lets ncc
// bundle the package and its WebAssembly file.
import hcl2json from '@cdktf/hcl2json';

export function parseHcl(file, text) {
  return hcl2json.parse(file, text);
}
