/**
 * oidc-login benchmark: bundle size of dist/oidc-login against its budget, and
 * cold-start time of the committed bundle to its first output, beside a bare
 * `node -e ''`. Run: `npx vitest bench --run bench/oidc`.
 *
 * The action runs as the runner would start it (fresh node process, INPUT_* and
 * file-command env), logging in to AWS against the local issuer and STS doubles.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { startOidcIssuer, type OidcIssuer } from '../../test/doubles/oidc-issuer/server.ts';
import { startStsDouble, type StsDouble } from '../../test/doubles/aws-sts/server.ts';

const root = resolve(import.meta.dirname, '../..');
const bundle = join(root, 'dist/oidc-login/index.js');
/** configure-aws-credentials' main bundle (dist/index.js) is 3.09 MB; the budget is a quarter of it. */
const REFERENCE_BYTES = 3.09e6;
const BUDGET_BYTES = REFERENCE_BYTES / 4;

const bytes = statSync(bundle).size;
const gzipped = gzipSync(readFileSync(bundle)).length;
const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
console.log(
  [
    '',
    '| bundle | bytes | gzip | budget (¼ of 3.09 MB) | share of budget |',
    '| --- | --- | --- | --- | --- |',
    `| dist/oidc-login/index.js | ${kb(bytes)} | ${kb(gzipped)} | ${kb(BUDGET_BYTES)} | ${((bytes / BUDGET_BYTES) * 100).toFixed(0)}% |`,
    '',
  ].join('\n'),
);

let issuer: OidcIssuer;
let sts: StsDouble;
let env: Record<string, string>;
const ROLE = 'arn:aws:iam::111122223333:role/bench';

beforeAll(async () => {
  issuer = await startOidcIssuer();
  sts = await startStsDouble({
    issuer: issuer.issuer,
    jwksUrl: issuer.jwksUrl,
    roles: [{ arn: ROLE, webIdentity: { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/*' } }],
  });
  const dir = mkdtempSync(join(tmpdir(), 'oidc-bench-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((name) => {
      const file = join(dir, name);
      writeFileSync(file, '');
      return [name, file];
    }),
  );
  env = {
    PATH: process.env.PATH ?? '',
    ...files,
    ...issuer.env,
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: join(dir, 'workspace'),
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    INPUT_PROVIDER: 'aws',
    'INPUT_ROLE-TO-ASSUME': ROLE,
    'INPUT_AWS-REGION': 'us-east-1',
    'INPUT_STS-ENDPOINT': sts.url,
    'INPUT_EXPORT-ENV': 'true',
    'INPUT_ROLE-DURATION-SECONDS': '3600',
  };
});
afterAll(async () => {
  await sts?.close();
  await issuer?.close();
});

/** Spawns node and resolves at the first stdout byte (`untilExit` false) or at exit. */
function runNode(args: string[], untilExit: boolean): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolvePromise();
      }
    };
    child.stdout.once('data', () => {
      if (!untilExit) finish();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || !untilExit ? finish() : reject(new Error(`exit ${code}`))));
  });
}

describe('cold start', () => {
  bench("bare node -e ''", () => runNode(['-e', ''], true), { iterations: 20, warmupIterations: 2 });
  bench('oidc-login: first output (::add-mask:: of the request token)', () => runNode([bundle], false), {
    iterations: 20,
    warmupIterations: 2,
  });
  bench('oidc-login: whole AWS main step against local doubles', () => runNode([bundle], true), {
    iterations: 20,
    warmupIterations: 2,
  });
});
