import * as core from '@actions/core';
import {
  actionsCoreMask,
  actionsSummaryWriter,
  createHttpTransport,
  markdownTable,
  redact,
  run,
  runPost,
} from '@slipway/core';
import {
  awsCredentialsIni,
  awsExports,
  awsLogin,
  azureEnvironment,
  azureLogin,
  createCredentialsDir,
  gcpExports,
  gcpLogin,
  idTokenRequestEnv,
  planAwsLogin,
  planAzureLogin,
  planGcpLogin,
  projectFromServiceAccount,
  removeCredentialsDir,
  writePrivateFile,
  type IdTokenRequestEnv,
  type LoginExports,
  type LoginIo,
} from '@slipway/oidc';
import { getInputs, type Inputs } from './inputs.ts';

const STATE_POST = 'isPost';
const STATE_DIR = 'credentials-dir';
const STATE_ENV = 'credential-env';

/** One entry point for both steps: the post step sees the `isPost` state main saved. */
export default async function main(): Promise<void> {
  if (core.getState(STATE_POST) === 'true') {
    await runPost(post);
    return;
  }
  await run(async () => {
    // First thing inside run(): the post step must know it is the post step even when login fails.
    core.saveState(STATE_POST, 'true');
    await login();
  });
}

interface Login {
  exports: LoginExports;
  /** Who we are now, for the summary. */
  identity: string;
  /** Values to hide in the summary (a masked account id). */
  hidden: string[];
}

/** Each provider: validate (no network), then a login function that runs after the OIDC variables are checked. */
type Prepared = (request: IdTokenRequestEnv, io: LoginIo) => Promise<Login>;

async function login(): Promise<void> {
  const inputs = getInputs();
  const prepared = prepare(inputs);
  const request = idTokenRequestEnv(process.env, actionsCoreMask);
  const io: LoginIo = {
    http: createHttpTransport({ userAgent: 'slipway-oidc-login', timeoutMs: inputs['request-timeout'] }),
    mask: actionsCoreMask,
    log: (line) => core.info(line),
    retry: { maxAttempts: inputs['max-attempts'], totalTimeoutMs: inputs['retry-timeout'] },
  };
  const { exports, identity, hidden } = await prepared(request, io);

  core.saveState(STATE_ENV, exports.credentialEnv.join(','));
  for (const [name, value] of Object.entries(exports.env)) core.exportVariable(name, value);
  for (const [name, value] of Object.entries(exports.outputs)) core.setOutput(name, value);
  const row = [
    inputs.provider,
    identity,
    exports.outputs.expiration ?? '',
    Object.keys(exports.env).join(', '),
  ];
  await actionsSummaryWriter(
    `### oidc-login\n\n${markdownTable(
      ['provider', 'identity', 'expires', 'exported'],
      [row.map((cell) => redact(cell, hidden))],
    )}\n`,
  );
}

function prepare(inputs: Inputs): Prepared {
  const exportEnv = inputs['export-env'];
  if (inputs.aws) {
    const aws = inputs.aws;
    const plan = planAwsLogin(aws);
    return async (request, io) => {
      const result = await awsLogin(aws, plan, request, io);
      const file = aws.profile
        ? await writePrivateFile(
            await credentialsDir(),
            'credentials',
            awsCredentialsIni(aws.profile, result.credentials),
          )
        : undefined;
      return {
        exports: awsExports(result, exportEnv, file),
        identity: result.arn,
        hidden: aws.maskAccountId ? [result.accountId] : [],
      };
    };
  }
  if (inputs.gcp) {
    const gcp = inputs.gcp;
    const { audience } = planGcpLogin(gcp);
    return async (request, io) => {
      const result = await gcpLogin(gcp, audience, request, io);
      const file = gcp.createCredentialsFile
        ? await writePrivateFile(await credentialsDir(), 'gcp-credentials.json', result.credentialsJson)
        : undefined;
      const project = gcp.projectId ?? projectFromServiceAccount(gcp.serviceAccount);
      return {
        exports: gcpExports(result, exportEnv, file, project),
        identity: gcp.serviceAccount ?? gcp.workloadIdentityProvider,
        hidden: [],
      };
    };
  }
  const azure = inputs.azure!;
  const { audience } = planAzureLogin(azure);
  return async (request, io) => {
    const result = await azureLogin(azure, audience, request, io);
    const file = await writePrivateFile(await credentialsDir(), 'azure-federated-token', result.githubToken);
    const env = exportEnv ? azureEnvironment(azure, file) : {};
    const outputs: Record<string, string> = { 'federated-token-file': file };
    if (result.accessToken) outputs['access-token'] = result.accessToken;
    return {
      exports: {
        env,
        outputs,
        credentialEnv: Object.keys(env).filter((name) => name.includes('TOKEN_FILE')),
      },
      identity: azure.clientId,
      hidden: [],
    };
  };
}

/** The private folder under RUNNER_TEMP; its path is saved at once so the post step removes it. */
async function credentialsDir(): Promise<string> {
  const dir = await createCredentialsDir(process.env.RUNNER_TEMP, process.env.GITHUB_WORKSPACE);
  core.saveState(STATE_DIR, dir);
  return dir;
}

/** Deletes the credential files and blanks the credential variables for any later post steps. */
async function post(): Promise<void> {
  const dir = core.getState(STATE_DIR);
  if (dir) {
    await removeCredentialsDir(dir);
    core.info(`Removed ${dir}`);
  }
  for (const name of core.getState(STATE_ENV).split(',').filter(Boolean)) core.exportVariable(name, '');
}
