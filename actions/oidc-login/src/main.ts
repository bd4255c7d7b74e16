import * as core from '@actions/core';
import { actionsCoreMask, actionsSummaryWriter, markdownTable, redact, run, runPost } from '@slipway/core';
import {
  actionsHttpTransport,
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
  type LoginExports,
  type LoginIo,
} from '@slipway/oidc';
import { getInputs, type Inputs } from './inputs.ts';

const STATE_POST = 'isPost';
const STATE_DIR = 'credentials-dir';
const STATE_ENV = 'credential-env';

export default async function main(): Promise<void> {
  if (core.getState(STATE_POST) === 'true') {
    await runPost(post);
    return;
  }
  core.saveState(STATE_POST, 'true');
  await run(login);
}

async function login(): Promise<void> {
  const inputs = getInputs();
  const plan =
    inputs.provider === 'aws'
      ? planAwsLogin(inputs.aws!)
      : inputs.provider === 'gcp'
        ? planGcpLogin(inputs.gcp!)
        : planAzureLogin(inputs.azure!);
  const request = idTokenRequestEnv(process.env, actionsCoreMask);
  const io: LoginIo = {
    http: actionsHttpTransport(inputs['request-timeout']),
    mask: actionsCoreMask,
    log: (line) => core.info(line),
    retry: { maxAttempts: inputs['max-attempts'], totalTimeoutMs: inputs['retry-timeout'] },
  };
  const credentialsDir = async () => {
    const dir = await createCredentialsDir(process.env.RUNNER_TEMP, process.env.GITHUB_WORKSPACE);
    core.saveState(STATE_DIR, dir);
    return dir;
  };

  let exports: LoginExports;
  let identity: string;
  let secretsInIdentity: string[] = [];
  if (inputs.aws) {
    const aws = inputs.aws;
    const result = await awsLogin(aws, plan as ReturnType<typeof planAwsLogin>, request, io);
    const file = aws.profile
      ? await writePrivateFile(
          await credentialsDir(),
          'credentials',
          awsCredentialsIni(aws.profile, result.credentials),
        )
      : undefined;
    exports = awsExports(result, inputs['export-env'], file);
    identity = result.arn;
    if (aws.maskAccountId) secretsInIdentity = [result.accountId];
  } else if (inputs.gcp) {
    const gcp = inputs.gcp;
    const result = await gcpLogin(gcp, plan.audience, request, io);
    const file = gcp.createCredentialsFile
      ? await writePrivateFile(await credentialsDir(), 'gcp-credentials.json', result.credentialsJson)
      : undefined;
    exports = gcpExports(
      result,
      inputs['export-env'],
      file,
      gcp.projectId ?? projectFromServiceAccount(gcp.serviceAccount),
    );
    identity = gcp.serviceAccount ?? gcp.workloadIdentityProvider;
  } else {
    const azure = inputs.azure!;
    const result = await azureLogin(azure, plan.audience, request, io);
    const file = await writePrivateFile(await credentialsDir(), 'azure-federated-token', result.githubToken);
    const env = inputs['export-env'] ? azureEnvironment(azure, file) : {};
    exports = {
      env,
      outputs: {
        'federated-token-file': file,
        ...(result.accessToken ? { 'access-token': result.accessToken } : {}),
      },
      credentialEnv: Object.keys(env).filter((name) => /TOKEN_FILE/.test(name)),
    };
    identity = azure.clientId;
  }

  core.saveState(STATE_ENV, exports.credentialEnv.join(','));
  for (const [name, value] of Object.entries(exports.env)) core.exportVariable(name, value);
  for (const [name, value] of Object.entries(exports.outputs)) core.setOutput(name, value);
  const expiration = exports.outputs.expiration ?? '';
  await actionsSummaryWriter(
    `### oidc-login\n\n${markdownTable(
      ['provider', 'identity', 'expires', 'exported'],
      [
        [
          inputs.provider,
          redact(identity, secretsInIdentity),
          expiration,
          Object.keys(exports.env).join(', '),
        ],
      ],
    )}\n`,
  );
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

export type { Inputs };
