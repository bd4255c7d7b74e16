import type { AwsCredentials, AssumedRole } from './aws-sts-xml.ts';
import { parseAssumeRoleResponse, parseStsError } from './aws-sts-xml.ts';
import { StsError } from './aws-sts-errors.ts';
import { signRequest } from './aws-sigv4.ts';
import type { ChainedRole } from './aws-role-chain.ts';
import type { HttpTransport } from '@slipway/core';

export const STS_API_VERSION = '2011-06-15';

export interface SessionParameters {
  roleArn: string;
  sessionName: string;
  durationSeconds: number;
  sessionPolicy?: string;
  managedPolicies?: readonly string[];
}

/** The Query API form body for an STS action, parameters in a fixed order. */
export function stsQueryBody(action: string, params: Record<string, string | undefined>): string {
  const form = new URLSearchParams({ Action: action, Version: STS_API_VERSION });
  for (const [key, value] of Object.entries(params)) if (value !== undefined) form.append(key, value);
  return form.toString();
}

function sessionParams(session: SessionParameters): Record<string, string | undefined> {
  const params: Record<string, string | undefined> = {
    RoleArn: session.roleArn,
    RoleSessionName: session.sessionName,
    DurationSeconds: String(session.durationSeconds),
    Policy: session.sessionPolicy,
  };
  for (const [index, arn] of (session.managedPolicies ?? []).entries())
    params[`PolicyArns.member.${index + 1}.arn`] = arn;
  return params;
}

const FORM_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

async function send(
  http: HttpTransport,
  endpoint: string,
  action: string,
  headers: Record<string, string>,
  body: string,
): Promise<AssumedRole> {
  const response = await http({ method: 'POST', url: `${endpoint}/`, headers, body });
  if (response.status === 200) {
    const assumed = parseAssumeRoleResponse(response.body.toString(), action);
    if (assumed) return assumed;
    throw new StsError('MalformedResponse', `the ${action} response had no credentials`, response.status);
  }
  const error = parseStsError(response.body.toString());
  throw new StsError(
    error?.code ?? `HTTP${response.status}`,
    error?.message ?? '',
    response.status,
    error?.requestId,
  );
}

/** `AssumeRoleWithWebIdentity`: an unsigned Query API call; the GitHub token is the only credential. */
export function assumeRoleWithWebIdentity(
  http: HttpTransport,
  endpoint: string,
  session: SessionParameters,
  webIdentityToken: string,
): Promise<AssumedRole> {
  const body = stsQueryBody('AssumeRoleWithWebIdentity', {
    ...sessionParams(session),
    WebIdentityToken: webIdentityToken,
  });
  return send(
    http,
    endpoint,
    'AssumeRoleWithWebIdentity',
    { 'content-type': FORM_TYPE, accept: 'text/xml' },
    body,
  );
}

/** `AssumeRole` for one role-chain hop, SigV4-signed with the previous hop's credentials. */
export async function assumeRole(
  http: HttpTransport,
  endpoint: string,
  region: string,
  session: SessionParameters,
  hop: ChainedRole,
  credentials: AwsCredentials,
  signingDate?: Date,
): Promise<AssumedRole> {
  const params = sessionParams({ ...session, roleArn: hop.roleArn });
  params.ExternalId = hop.externalId;
  for (const [index, tag] of hop.tags.entries()) {
    params[`Tags.member.${index + 1}.Key`] = tag.key;
    params[`Tags.member.${index + 1}.Value`] = tag.value;
  }
  const body = stsQueryBody('AssumeRole', params);
  const headers = await signRequest(
    { method: 'POST', url: `${endpoint}/`, headers: { 'content-type': FORM_TYPE }, body },
    credentials,
    { region, service: 'sts' },
    signingDate,
  );
  return send(http, endpoint, 'AssumeRole', { ...headers, accept: 'text/xml' }, body);
}
