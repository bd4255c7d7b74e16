/**
 * Registry credentials: an explicit username/password (action inputs) or the
 * docker CLI config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`)
 * as `docker/login-action` writes it: `auths.<host>.auth` (base64 `user:pass`)
 * or `identitytoken`. Credential helpers (`credsStore`/`credHelpers`) are not
 * run; a registry configured only through a helper is treated as anonymous.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '@slipway/core';
import { DOCKER_HUB } from './image-reference.ts';

export interface RegistryCredentials {
  username: string;
  password: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

/** Keys docker writes for Docker Hub; other registries are keyed by host[:port], sometimes with a scheme. */
const DOCKER_HUB_KEYS = [
  'https://index.docker.io/v1/',
  'index.docker.io',
  'docker.io',
  'registry-1.docker.io',
];

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker'), 'config.json');
}

/**
 * Credentials for `registry` from a docker config file; undefined when the file
 * or the entry is missing. A file that exists but is not JSON is a user error.
 */
export function credentialsFromDockerConfig(
  registry: string,
  configFile: string,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): RegistryCredentials | undefined {
  let text: string;
  try {
    text = read(configFile);
  } catch {
    return undefined;
  }
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch (error) {
    throw new UserError(`The docker config ${configFile} is not valid JSON.`, {
      hint: 'Fix or remove the file, or pass registry-username and registry-password.',
      cause: error,
    });
  }
  const auths = config.auths ?? {};
  const wanted = registry === DOCKER_HUB ? DOCKER_HUB_KEYS : [registry];
  const key = Object.keys(auths).find((candidate) => wanted.includes(hostOf(candidate)));
  const entry = key === undefined ? undefined : auths[key];
  if (!entry) return undefined;
  let username = entry.username ?? '';
  let password = entry.password ?? '';
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1)
      throw new UserError(
        `The docker config ${configFile} has an 'auth' for ${key} that is not user:password.`,
      );
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (entry.identitytoken) password = entry.identitytoken;
  if (username === '' && password === '') return undefined;
  return { username, password };
}

/** `https://ghcr.io/v2/` -> `ghcr.io`; Docker Hub's v1 URL -> itself (matched literally). */
function hostOf(key: string): string {
  if (DOCKER_HUB_KEYS.includes(key)) return key;
  return key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}
