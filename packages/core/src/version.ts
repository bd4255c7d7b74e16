// The one source of Slipway's version: the root package.json, read at build time (ncc inlines the
// value into each bundle, vitest and tsc read the file). The CLI's `--version` and the SARIF
// tool.driver.semanticVersion of pin-check come from here; test/docs/version.test.ts fails when
// packages/cli/package.json, a committed bundle or a hard-coded copy says otherwise.
import rootPackage from '../../../package.json' with { type: 'json' };

/** Slipway's release version, e.g. `1.2.3`. */
export const SLIPWAY_VERSION: string = rootPackage.version;
