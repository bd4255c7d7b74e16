/** A check that trivy's SARIF output is a SARIF 2.1.0 log that upload-sarif will take. */
import type { Log } from 'sarif';
import { UserError } from '@slipway/core';

export interface SarifSummary {
  tool: string;
  results: number;
  ruleIds: string[];
}

export function parseSarif(text: string, source: string): SarifSummary {
  let log: Log;
  try {
    log = JSON.parse(text) as Log;
  } catch (error) {
    throw new UserError(`${source} is not JSON (${(error as Error).message}).`);
  }
  if (log?.version !== '2.1.0' || !Array.isArray(log.runs) || log.runs.length === 0) {
    throw new UserError(`${source} is not a SARIF 2.1.0 log with at least one run.`);
  }
  const run = log.runs[0]!;
  if (typeof run.tool?.driver?.name !== 'string')
    throw new UserError(`${source}: runs[0].tool.driver.name is missing.`);
  const results = log.runs.flatMap((r) => r.results ?? []);
  return {
    tool: run.tool.driver.name,
    results: results.length,
    ruleIds: [...new Set(results.map((r) => r.ruleId).filter((id): id is string => typeof id === 'string'))],
  };
}
