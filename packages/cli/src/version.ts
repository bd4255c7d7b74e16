/** The version written into reports (SARIF tool.driver.semanticVersion). */
export const VERSION_FOR_REPORTS = '0.1.0';
