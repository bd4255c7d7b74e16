// Files the shared bundle reads at run time that ncc cannot copy itself. ncc's asset relocator only
// emits assets under the folder it runs in (its filterAssetBase is the working directory), and the
// shared bundle is built from scripts/actions-bundle so that its tsconfig.json applies; an asset in
// the root node_modules is therefore left behind. Each one is copied into dist/shared/ beside the
// chunks, where the module that reads it looks first.
export const SHARED_ASSETS = [
  {
    // hcl2json's WebAssembly, read by packages/terraform/src/changes/hcl-wasm-file.js.
    from: 'node_modules/@cdktf/hcl2json/main.wasm.gz',
    to: 'main.wasm.gz',
  },
];
