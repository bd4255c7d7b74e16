/**
 * `npm run tools:refresh [-- --trivy 0.74.0 --syft 1.51.0 --cosign 3.1.3 --accept-unsigned syft]`:
 * rewrites packages/supply-chain/tools.lock.json. Without a version the tool's
 * latest GitHub release is used (GITHUB_API_URL, GITHUB_TOKEN when set). Meant
 * to run on GitHub with network; scripts/tools-refresh.js starts it under a
 * Node that can run TypeScript (22.7+ with --experimental-transform-types).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkStatus, createHttpTransport, errorMessage, type HttpRequest } from '@slipway/core';
import { parseToolsLock } from './lock-file.ts';
import { refreshToolsLock } from './lock-refresh.ts';
import { createReleaseHttp } from './release-download.ts';
import { createSigstoreVerifier } from './release-signature.ts';
import { TOOL_NAMES, toolRelease, type ToolName } from './tool-assets.ts';
import { releaseBaseUrl } from './install.ts';

const LOCK = new URL('../../tools.lock.json', import.meta.url);

async function latestVersion(tool: ToolName): Promise<string> {
  const { owner, repo } = toolRelease(tool, '0.0.0');
  const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '');
  const http = createHttpTransport({ userAgent: 'slipway-tools-refresh', timeoutMs: 30_000 });
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (process.env.GITHUB_TOKEN) headers.authorization = `Bearer ${process.env.GITHUB_TOKEN}`;
  const request: HttpRequest = {
    method: 'GET',
    url: `${api}/repos/${owner}/${repo}/releases/latest`,
    headers,
  };
  const response = checkStatus(await http(request), request);
  const tag = (JSON.parse(response.body.toString()) as { tag_name?: unknown }).tag_name;
  if (typeof tag !== 'string' || !tag) throw new Error(`no latest release for ${owner}/${repo}`);
  return tag;
}

try {
  const { values } = parseArgs({
    options: {
      trivy: { type: 'string' },
      syft: { type: 'string' },
      cosign: { type: 'string' },
      'accept-unsigned': { type: 'string', multiple: true },
      'releases-url': { type: 'string' },
    },
  });
  const versions = {} as Record<ToolName, string>;
  for (const tool of TOOL_NAMES) versions[tool] = values[tool] ?? (await latestVersion(tool));
  const previous = parseToolsLock(JSON.parse(readFileSync(LOCK, 'utf8')), 'tools.lock.json');
  const releasesUrl = values['releases-url'] ?? process.env.SLIPWAY_RELEASES_URL;
  const lock = await refreshToolsLock({
    http: createReleaseHttp(),
    versions,
    baseUrl: (tool) => releaseBaseUrl(tool, releasesUrl || undefined),
    verifySignature: createSigstoreVerifier(),
    previous,
    acceptUnsigned: (values['accept-unsigned'] ?? []).filter((t): t is ToolName =>
      (TOOL_NAMES as string[]).includes(t),
    ),
    log: (line) => console.error(line),
  });
  const comment = (JSON.parse(readFileSync(LOCK, 'utf8')) as { $comment?: string }).$comment;
  writeFileSync(LOCK, JSON.stringify({ $comment: comment, ...lock }, null, 2) + '\n');
  console.error(`wrote ${LOCK.pathname}`);
} catch (error) {
  console.error(`tools:refresh failed: ${errorMessage(error)}`);
  process.exitCode = 1;
}
