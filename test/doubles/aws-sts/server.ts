/**
 * A local AWS STS speaking the Query API wire format (form-encoded POST, XML
 * answers in the 2011-06-15 namespace, `<ErrorResponse>` errors with the real
 * codes and statuses). AssumeRoleWithWebIdentity verifies the JWT signature
 * against the issuer's JWKS (fetched over HTTP, as STS does) and the role's trust
 * conditions; AssumeRole verifies the SigV4 signature with the secret it issued.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { FaultQueue, applyFault, globMatches, readBody } from '../oidc-issuer/faults.ts';
import { listenOnLoopback } from '../oidc-issuer/loopback.ts';

export interface StsRole {
  arn: string;
  /** Seconds; DurationSeconds above it is a ValidationError. */
  maxSessionDuration?: number;
  /** Trust for AssumeRoleWithWebIdentity: `aud` must equal, `sub` must match (StringLike). */
  webIdentity?: { aud: string; sub: string };
  /** Trust for AssumeRole: role ARNs whose sessions may assume this role. */
  trustedRoles?: string[];
  externalId?: string;
}

export interface StsDoubleOptions {
  issuer: string;
  jwksUrl: string;
  /** Client IDs (audiences) registered on the account's IAM OIDC provider. */
  audiences?: string[];
  region?: string;
  roles: StsRole[];
}

interface Session {
  roleArn: string;
  secretAccessKey: string;
  sessionToken: string;
  chained: boolean;
}

export interface StsCall {
  action: string;
  params: Record<string, string>;
  status: number;
  code?: string;
}

export interface StsDouble {
  url: string;
  faults: FaultQueue;
  /** Every request that reached the action dispatcher (faulted ones included), in order. */
  calls: StsCall[];
  /** Every access key, secret and session token issued. */
  issuedSecrets: string[];
  count(action: string): number;
  close(): Promise<void>;
}

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const STATUS: Record<string, number> = {
  AccessDenied: 403,
  IDPRejectedClaim: 403,
  RegionDisabledException: 403,
  SignatureDoesNotMatch: 403,
  InvalidClientTokenId: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function stsErrorXml(code: string, message: string, requestId: string): string {
  const type = (STATUS[code] ?? 400) >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${esc(code)}</Code>\n    <Message>${esc(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}

class StsFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startStsDouble(options: StsDoubleOptions): Promise<StsDouble> {
  const region = options.region ?? 'us-east-1';
  const audiences = options.audiences ?? ['sts.amazonaws.com'];
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl));
  const sessions = new Map<string, Session>();
  const calls: StsCall[] = [];
  const issuedSecrets: string[] = [];
  const faults = new FaultQueue();
  const roleByArn = (arn: string) => {
    const role = options.roles.find((r) => r.arn === arn);
    if (!role) throw new StsFailure('AccessDenied', `Not authorized to perform sts:AssumeRole on ${arn}`);
    return role;
  };

  function issue(role: StsRole, params: Record<string, string>, chained: boolean) {
    const duration = Number(params.DurationSeconds ?? '3600');
    if (!/^[\w+=,.@-]{2,64}$/.test(params.RoleSessionName ?? ''))
      throw new StsFailure(
        'ValidationError',
        `1 validation error detected: Value '${params.RoleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    if (chained && duration > 3600)
      throw new StsFailure(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    if (duration < 900 || duration > (role.maxSessionDuration ?? 3600))
      throw new StsFailure(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    if (params.Policy !== undefined) {
      try {
        JSON.parse(params.Policy);
      } catch {
        throw new StsFailure('MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
      }
    }
    const session: Session = {
      roleArn: role.arn,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(120).toString('base64')}`,
      chained,
    };
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    sessions.set(accessKeyId, session);
    issuedSecrets.push(accessKeyId, session.secretAccessKey, session.sessionToken);
    const [, , , , account, resource] = role.arn.split(':') as string[];
    const roleName = (resource ?? '').split('/').pop();
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`;
    const expiration = new Date(Math.floor(Date.now() / 1000 + duration) * 1000)
      .toISOString()
      .replace('.000', '');
    return {
      user: `    <AssumedRoleUser>\n      <Arn>arn:aws:sts::${account}:assumed-role/${roleName}/${esc(params.RoleSessionName!)}</Arn>\n      <AssumedRoleId>${roleId}:${esc(params.RoleSessionName!)}</AssumedRoleId>\n    </AssumedRoleUser>\n`,
      credentials: `    <Credentials>\n      <SessionToken>${session.sessionToken}</SessionToken>\n      <SecretAccessKey>${session.secretAccessKey}</SecretAccessKey>\n      <Expiration>${expiration}</Expiration>\n      <AccessKeyId>${accessKeyId}</AccessKeyId>\n    </Credentials>\n`,
    };
  }

  async function webIdentity(params: Record<string, string>): Promise<string> {
    const role = roleByArn(params.RoleArn ?? '');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(params.WebIdentityToken ?? '', jwks, { issuer: options.issuer }));
    } catch (error) {
      const name = (error as { code?: string }).code ?? '';
      if (
        name === 'ERR_JWKS_TIMEOUT' ||
        name === 'ERR_JOSE_GENERIC' ||
        /fetch|ECONNREFUSED/i.test(String(error))
      )
        throw new StsFailure(
          'InvalidIdentityToken',
          "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
        );
      if (name === 'ERR_JWT_EXPIRED') throw new StsFailure('ExpiredTokenException', 'Token is expired');
      throw new StsFailure(
        'InvalidIdentityToken',
        'The web identity token that was passed could not be validated by AWS.',
      );
    }
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud ?? ''];
    if (!aud.some((a) => audiences.includes(a)))
      throw new StsFailure('InvalidIdentityToken', 'Incorrect token audience');
    const trust = role.webIdentity;
    if (!trust || !aud.includes(trust.aud) || !globMatches(trust.sub, payload.sub ?? ''))
      throw new StsFailure('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const { user, credentials } = issue(role, params, false);
    return `<AssumeRoleWithWebIdentityResponse xmlns="${NS}">\n  <AssumeRoleWithWebIdentityResult>\n    <SubjectFromWebIdentityToken>${esc(payload.sub ?? '')}</SubjectFromWebIdentityToken>\n    <Audience>${esc(aud[0]!)}</Audience>\n${user}${credentials}    <Provider>${esc(options.issuer)}</Provider>\n  </AssumeRoleWithWebIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleWithWebIdentityResponse>\n`;
  }

  async function verifySigV4(req: import('node:http').IncomingMessage, body: string): Promise<Session> {
    const auth = req.headers.authorization ?? '';
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        auth,
      );
    if (!match) throw new StsFailure('MissingAuthenticationToken', 'Request is missing Authentication Token');
    const [, keyId, , scopeRegion, service, signedHeaders] = match as unknown as string[];
    const session = sessions.get(keyId!);
    if (!session)
      throw new StsFailure('InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (req.headers['x-amz-security-token'] !== session.sessionToken)
      throw new StsFailure('InvalidClientTokenId', 'The security token included in the request is invalid.');
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const date = new Date(
      amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
    );
    if (Number.isNaN(date.getTime()) || Math.abs(Date.now() - date.getTime()) > 15 * 60_000)
      throw new StsFailure('SignatureDoesNotMatch', 'Signature expired or date missing.');
    const headers: Record<string, string> = {};
    for (const name of signedHeaders!.split(';')) headers[name] = String(req.headers[name] ?? '');
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: keyId!,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken,
      },
      region: scopeRegion!,
      service: service!,
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false,
    });
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const expected = await signer.sign(
      new HttpRequest({
        method: req.method ?? 'POST',
        hostname: 'placeholder',
        path: url.pathname,
        headers,
        body,
      }),
      { signingDate: date },
    );
    if (scopeRegion !== region || service !== 'sts' || expected.headers.authorization !== auth)
      throw new StsFailure(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    return session;
  }

  async function assumeRole(
    req: import('node:http').IncomingMessage,
    body: string,
    params: Record<string, string>,
  ) {
    const caller = await verifySigV4(req, body);
    const role = roleByArn(params.RoleArn ?? '');
    if (
      !role.trustedRoles?.includes(caller.roleArn) ||
      (role.externalId !== undefined && role.externalId !== params.ExternalId)
    )
      throw new StsFailure(
        'AccessDenied',
        `User: ${caller.roleArn} is not authorized to perform: sts:AssumeRole on resource: ${role.arn}`,
      );
    const { user, credentials } = issue(role, params, true);
    return `<AssumeRoleResponse xmlns="${NS}">\n  <AssumeRoleResult>\n${user}${credentials}  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>${randomUUID()}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n`;
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const params = Object.fromEntries(new URLSearchParams(body));
      const action = params.Action ?? '';
      const call: StsCall = { action, params, status: 200 };
      calls.push(call);
      const reply = (status: number, xml: string, code?: string) => {
        call.status = status;
        if (code) call.code = code;
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': randomUUID() }).end(xml);
      };
      const fault = await applyFault(faults.take(action), req, res);
      if (fault === 'handled') {
        call.status = res.headersSent ? res.statusCode : 0;
        return;
      }
      if (fault)
        return reply(
          fault.status ?? STATUS[fault.code] ?? 400,
          stsErrorXml(fault.code, fault.message ?? `${fault.code} (injected)`, randomUUID()),
          fault.code,
        );
      try {
        if (req.method !== 'POST' || params.Version !== '2011-06-15')
          throw new StsFailure('InvalidAction', 'Could not find operation for the request');
        if (action === 'AssumeRoleWithWebIdentity') return reply(200, await webIdentity(params));
        if (action === 'AssumeRole') return reply(200, await assumeRole(req, body, params));
        throw new StsFailure('InvalidAction', `Could not find operation ${action} for version 2011-06-15`);
      } catch (error) {
        if (!(error instanceof StsFailure)) throw error;
        reply(STATUS[error.code] ?? 400, stsErrorXml(error.code, error.message, randomUUID()), error.code);
      }
    })().catch((error: unknown) => {
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'text/xml' })
          .end(stsErrorXml('InternalFailure', String(error), randomUUID()));
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    faults,
    calls,
    issuedSecrets,
    count: (action) => calls.filter((c) => c.action === action).length,
    close,
  };
}
