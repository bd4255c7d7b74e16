/**
 * The cloud endpoints a reusable workflow's `cloud: aws | gcp | azure` path calls, under their real
 * host names, for the local runner: a forward proxy double (test/doubles/forward-proxy) routes
 * them to the doubles on 127.0.0.1 and terminates TLS with its own CA, as a corporate runner's
 * intercepting proxy would; the job gets HTTPS_PROXY/HTTP_PROXY and NODE_EXTRA_CA_CERTS through
 * `runnerEnv`, and the GitHub OIDC token endpoint (the OIDC issuer double, also behind the proxy)
 * through the runner's `oidc` option, which it passes on only with `id-token: write`.
 *
 * Names routed: the runner's token endpoint (`pipelinesghubeus2.actions.githubusercontent.com`),
 * `sts.<region>.amazonaws.com` (AWS STS double), `sts.googleapis.com` and
 * `iamcredentials.googleapis.com` (Google double), `login.microsoftonline.com` (Azure double). The
 * doubles verify the GitHub token against the issuer's JWKS and trust only the caller's
 * repository, so the claims are the ones GitHub gives a job of `repository` on `ref`.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startForwardProxy, type ForwardProxy } from '../doubles/forward-proxy/forward-proxy.ts';
import { startOidcIssuer, type OidcIssuer } from '../doubles/oidc-issuer/server.ts';
import { startStsDouble, type StsDouble } from '../doubles/aws-sts/server.ts';
import { startGoogleDouble, type GoogleDouble } from '../doubles/google-sts/server.ts';
import { startAzureTokenDouble, type AzureDouble } from '../doubles/azure-token/server.ts';

export const TOKEN_HOST = 'pipelinesghubeus2.actions.githubusercontent.com';

export interface CloudIdentities {
  /** The caller's repository (owner/name) and ref, as the job's OIDC token carries them. */
  repository: string;
  ref: string;
  /** The reusable workflow run, for the job_workflow_ref claim. */
  jobWorkflowRef: string;
  aws: { roleArn: string; region: string };
  gcp: { provider: string; serviceAccount: string };
  azure: { clientId: string; tenantId: string };
}

export interface CloudEndpoints {
  proxy: ForwardProxy;
  issuer: OidcIssuer;
  sts: StsDouble;
  google: GoogleDouble;
  azure: AzureDouble;
  /** For RunWorkflowJobOptions.oidc: the token endpoint addressed through the proxy. */
  oidc: { requestUrl: string; requestToken: string };
  /**
   * What a runner behind the proxy has in its environment: the proxy variables (both name cases),
   * the proxy CA for Node (NODE_EXTRA_CA_CERTS) and, for curl and Go programs such as the docker
   * CLI, a CA bundle of the system's CAs plus the proxy's (SSL_CERT_FILE, CURL_CA_BUNDLE), as an
   * image with the corporate CA installed would trust it.
   */
  env(): Record<string, string>;
  /** Requests the proxy forwarded since `from` (an index into proxy.log), as `METHOD https://host/path status`. */
  seen(from: number): string[];
  close(): Promise<void>;
}

const portOf = (url: string) => Number(new URL(url).port);

export async function startCloudEndpoints(ids: CloudIdentities): Promise<CloudEndpoints> {
  const issuer = await startOidcIssuer();
  const owner = ids.repository.split('/')[0] as string;
  const subject = `repo:${ids.repository}:ref:${ids.ref}`;
  issuer.claims = {
    sub: subject,
    repository: ids.repository,
    repository_owner: owner,
    ref: ids.ref,
    job_workflow_ref: ids.jobWorkflowRef,
  };
  const [sts, google, azure, proxy] = await Promise.all([
    startStsDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      region: ids.aws.region,
      roles: [
        { arn: ids.aws.roleArn, webIdentity: { aud: 'sts.amazonaws.com', sub: `repo:${ids.repository}:*` } },
      ],
    }),
    startGoogleDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      provider: ids.gcp.provider,
      condition: (claims) => claims.repository_owner === owner,
      bindings: { [ids.gcp.serviceAccount]: [ids.repository] },
    }),
    startAzureTokenDouble({
      issuer: issuer.issuer,
      jwksUrl: issuer.jwksUrl,
      credentials: [{ clientId: ids.azure.clientId, tenantId: ids.azure.tenantId, subject }],
    }),
    startForwardProxy(),
  ]);
  proxy.route(TOKEN_HOST, portOf(issuer.issuer));
  proxy.route(`sts.${ids.aws.region}.amazonaws.com`, portOf(sts.url));
  proxy.route('sts.googleapis.com', portOf(google.url));
  proxy.route('iamcredentials.googleapis.com', portOf(google.url));
  proxy.route('login.microsoftonline.com', portOf(azure.url));
  const tokenPath = new URL(issuer.env.ACTIONS_ID_TOKEN_REQUEST_URL);
  const env = proxyEnvWithCaBundle(proxy);
  return {
    proxy,
    issuer,
    sts,
    google,
    azure,
    oidc: {
      requestUrl: `https://${TOKEN_HOST}${tokenPath.pathname}${tokenPath.search}`,
      requestToken: issuer.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    },
    env,
    seen: (from) =>
      proxy.log
        .slice(from)
        .filter((e) => e.kind !== 'connect')
        .map((e) => `${e.method} ${e.tls ? 'https' : 'http'}://${e.host}${e.path} ${e.status}`),
    close: async () => {
      await Promise.all([sts.close(), google.close(), azure.close(), proxy.close()]);
      await issuer.close();
    },
  };
}

/**
 * The environment of a runner behind `proxy` whose image trusts the proxy's CA: the proxy variables
 * and NODE_EXTRA_CA_CERTS, plus a CA bundle of the system's CAs and the proxy's for curl and Go
 * programs (docker, trivy, syft, cosign) as SSL_CERT_FILE and CURL_CA_BUNDLE, written into `dir`.
 */
export function proxyEnvWithCaBundle(
  proxy: ForwardProxy,
  dir = mkdtempSync(join(tmpdir(), 'proxy-ca-')),
): () => Record<string, string> {
  const caBundle = join(dir, 'ca-certificates.crt');
  const proxyEnv = proxy.env();
  const systemCAs = '/etc/ssl/certs/ca-certificates.crt';
  writeFileSync(
    caBundle,
    `${existsSync(systemCAs) ? readFileSync(systemCAs, 'utf8') : ''}\n${readFileSync(proxyEnv.NODE_EXTRA_CA_CERTS as string, 'utf8')}`,
  );
  return () => ({ ...proxy.env(), SSL_CERT_FILE: caBundle, CURL_CA_BUNDLE: caBundle });
}

/** The payload of a JWT (no verification: the doubles verified it). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
