/** The version written into reports (SARIF tool.driver.semanticVersion): the root package.json's. */
export { SLIPWAY_VERSION as VERSION_FOR_REPORTS } from '@slipway/core';
