// Types for scripts/real-tools-paths.js, so the TypeScript tests can import it directly.
export interface RealToolSpec {
  /** Go module path; absent for a PyPI tool. */
  module?: string;
  /** PyPI project name; absent for a Go tool. */
  pypi?: string;
  version: string;
  package?: string;
  env?: Record<string, string>;
  ldflags?: string[];
  versionArgs: string[];
}
export interface RealTools {
  goToolchain: string;
  tools: Record<string, RealToolSpec>;
}
export declare const VERSIONS_FILE: string;
export declare function readRealTools(file?: string): RealTools;
export declare function toolsCacheDir(env?: NodeJS.ProcessEnv): string;
export declare function toolVersionDir(name: string, spec: RealToolSpec, env?: NodeJS.ProcessEnv): string;
export declare function toolBinary(name: string, spec: RealToolSpec, env?: NodeJS.ProcessEnv): string;
export declare function toolMarker(name: string, spec: RealToolSpec, env?: NodeJS.ProcessEnv): string;
export declare function bareVersion(version: string): string;
