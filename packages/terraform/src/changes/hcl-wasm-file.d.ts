/** Absolute path of hcl2json's main.wasm.gz (a copy beside the bundle, in an action bundle). */
declare const wasmFile: string;
export default wasmFile;
