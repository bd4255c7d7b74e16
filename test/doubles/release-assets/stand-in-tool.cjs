#!/usr/bin/env node
// A stand-in for the trivy and syft executables, packed by the release-asset double into
// archives with the real release naming and layout. It is NOT trivy or syft: it records
// its argv (one JSON line per call in $STANDIN_ARGV_LOG) and writes real documents that
// the real tools produced (fixtures under ../shared/fixtures) where the real tool would
// write its report. .github/workflows/e2e.yml runs the real tools on GitHub.
// Behaviour knobs (env): STANDIN_RATE_LIMITED (comma list of DB repositories answering
// TOOMANYREQUESTS), STANDIN_TRIVY_REPORT (fixture file name under trivy/), STANDIN_EXIT_CODE.
'use strict';
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the extracted executable has no package.json beside it */
const { appendFileSync, copyFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');

const TOOL = '__TOOL__';
const VERSION = '__VERSION__';
const FIXTURES = '__FIXTURES__';
const argv = process.argv.slice(2);
if (process.env.STANDIN_ARGV_LOG) {
  appendFileSync(process.env.STANDIN_ARGV_LOG, JSON.stringify({ tool: TOOL, argv }) + '\n');
}
const flag = (name) => {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
};
const flags = (name) => argv.flatMap((a, i) => (a === name && i + 1 < argv.length ? [argv[i + 1]] : []));
const afterDashes = () => argv.slice(argv.indexOf('--') + 1);

if (argv[0] === '--version' || argv[0] === 'version') {
  console.log(`Version: ${VERSION}`);
  process.exit(0);
}
if (process.env.STANDIN_EXIT_CODE) {
  console.error(`${TOOL} stand-in: failing as asked`);
  process.exit(Number(process.env.STANDIN_EXIT_CODE));
}

if (TOOL === 'trivy') {
  const limited = (process.env.STANDIN_RATE_LIMITED ?? '').split(',').filter(Boolean);
  for (const [only, repoFlag, dir] of [
    ['--download-db-only', '--db-repository', 'db'],
    ['--download-java-db-only', '--java-db-repository', 'java-db'],
  ]) {
    if (!argv.includes(only)) continue;
    const repo = flag(repoFlag);
    if (limited.includes(repo)) {
      console.error(
        `FATAL Fatal error: init error: DB error: failed to download vulnerability DB: OCI repository error: 1 error occurred:\n\t* GET https://${repo}: TOOMANYREQUESTS: retry-after: 1.02s, allowed: 44000/minute`,
      );
      process.exit(1);
    }
    const cacheDir = flag('--cache-dir');
    mkdirSync(join(cacheDir, dir), { recursive: true });
    // the fields trivy writes (NextUpdate, UpdatedAt, DownloadedAt), fixed values; Repository marks where it came from
    writeFileSync(
      join(cacheDir, dir, 'metadata.json'),
      JSON.stringify({
        Version: 2,
        NextUpdate: '2026-12-07T00:50:12.5Z',
        UpdatedAt: '2026-12-06T00:50:12.5Z',
        DownloadedAt: '2026-12-06T06:01:02.3Z',
        Repository: repo,
      }),
    );
    process.exit(0);
  }
  const output = flag('--output');
  if (argv[0] === 'convert') {
    copyFileSync(join(FIXTURES, 'trivy', 'alpine-310.sarif'), output);
  } else {
    const byType = {
      image: 'alpine-310.json',
      fs: 'alpine-310.json',
      sbom: 'alpine-310.json',
      config: 'dockerfile.json',
    };
    copyFileSync(join(FIXTURES, 'trivy', process.env.STANDIN_TRIVY_REPORT ?? byType[argv[0]]), output);
  }
  process.exit(0);
}

if (TOOL === 'syft') {
  const source = afterDashes()[0] ?? '';
  const kind = source.startsWith('dir:') ? 'directory' : 'image';
  for (const spec of flags('--output')) {
    const [format, path] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
    const ext = { 'spdx-json': 'spdx.json', 'cyclonedx-json': 'cyclonedx.json' }[format];
    copyFileSync(join(FIXTURES, 'syft', `${kind}.${ext}`), path);
  }
  console.error(`${basename(process.argv[1])} stand-in: catalogued ${source}`);
  process.exit(0);
}
