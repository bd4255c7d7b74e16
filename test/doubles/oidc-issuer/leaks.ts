/**
 * The leak scan for oidc-login: on top of the harness's `findLeaks` (log lines,
 * summary, never masked), every output, state value and GITHUB_ENV value that
 * carries a secret must be one the action masked.
 */
import { findLeaks, type ActionRunResult } from '../../harness/run-action.ts';

export function findOidcLeaks(result: ActionRunResult, secrets: readonly string[]): string[] {
  const leaks = findLeaks(result, secrets);
  const written = [
    ...Object.entries(result.outputs).map(([k, v]) => [`output ${k}`, v] as const),
    ...Object.entries(result.main.env).map(([k, v]) => [`env ${k}`, v] as const),
    ...Object.entries(result.state).map(([k, v]) => [`state ${k}`, v] as const),
  ];
  for (const secret of secrets) {
    if (!secret) continue;
    for (const [where, value] of written) {
      if (value.includes(secret) && !result.masks.includes(secret))
        leaks.push(`${where} holds unmasked ${secret.slice(0, 4)}…`);
    }
    if (result.state && Object.values(result.state).some((v) => v.includes(secret)))
      leaks.push(`a secret (${secret.slice(0, 4)}…) was saved to GITHUB_STATE`);
  }
  return leaks;
}
