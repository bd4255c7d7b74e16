/**
 * Stand-in for docker/login-action: writes the registry's auth entry into the docker
 * config the job's later steps read ($DOCKER_CONFIG/config.json, else
 * $HOME/.docker/config.json), as `docker login` does, and masks the password.
 * Amazon ECR without a username/password takes the AWS credentials from the env
 * (as the real action does through the AWS SDK); they must be there.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  booleanInput,
  expectKnownInputs,
  StandInInputError,
  type StandIn,
  type StandInCall,
} from '../stand-in.ts';

const INPUTS = ['registry', 'username', 'password', 'ecr', 'scope', 'logout', 'registry-auth'] as const;

export interface DockerLoginRecord {
  registry: string;
  username: string;
  configFile: string;
}

export function dockerLoginStandIn(): { standIn: StandIn; calls: DockerLoginRecord[] } {
  const calls: DockerLoginRecord[] = [];
  const standIn = (call: StandInCall) => {
    expectKnownInputs(call, INPUTS);
    const fail = (message: string) => new StandInInputError(call.uses, message);
    const registry = call.with.registry ?? '';
    if (!/^[a-z0-9.-]+(:[0-9]+)?$/i.test(registry))
      throw fail(`input 'registry' must be a registry host[:port], got ${JSON.stringify(registry)}`);
    booleanInput(call, 'logout', true);
    let username = call.with.username ?? '';
    let password = call.with.password ?? '';
    if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com$/.test(registry) && !username && !password) {
      if (!call.env.AWS_ACCESS_KEY_ID || !call.env.AWS_SECRET_ACCESS_KEY)
        throw fail('Amazon ECR login without AWS credentials in the environment');
      username = 'AWS';
      password = `ecr-token-for-${call.env.AWS_ACCESS_KEY_ID}`;
    }
    if (!username || !password) throw fail(`Username and password required (registry ${registry})`);
    const dir = call.env.DOCKER_CONFIG || join(call.env.HOME ?? '', '.docker');
    const configFile = join(dir, 'config.json');
    mkdirSync(dir, { recursive: true });
    const config = existsSync(configFile)
      ? (JSON.parse(readFileSync(configFile, 'utf8')) as { auths?: Record<string, { auth: string }> })
      : {};
    config.auths = {
      ...config.auths,
      [registry]: { auth: Buffer.from(`${username}:${password}`).toString('base64') },
    };
    writeFileSync(configFile, JSON.stringify(config, null, '\t'));
    calls.push({ registry, username, configFile });
    return { masks: [password], log: ['Login Succeeded!'] };
  };
  return { standIn, calls };
}
