import { describe, expect, it } from 'vitest';
import { parseAssumeRoleResponse, parseStsError } from './aws-sts-xml.ts';

// Shapes as documented in the STS API reference (AssumeRoleWithWebIdentity and
// AssumeRole "Examples", Common Errors); values are made up.
const WEB_IDENTITY = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>repo:octo-org/octo-repo:ref:refs/heads/main</SubjectFromWebIdentityToken>
    <Audience>sts.amazonaws.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::111122223333:assumed-role/gha-deploy/run-1</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:run-1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2026-11-26T07:00:23Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>https://token.actions.githubusercontent.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;

describe('parseAssumeRoleResponse', () => {
  it('reads credentials and the assumed-role user', () => {
    expect(parseAssumeRoleResponse(WEB_IDENTITY, 'AssumeRoleWithWebIdentity')).toEqual({
      credentials: {
        accessKeyId: 'ASgeIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
        sessionToken: 'AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE',
        expiration: '2026-11-26T07:00:23Z',
      },
      arn: 'arn:aws:sts::111122223333:assumed-role/gha-deploy/run-1',
      assumedRoleId: 'AROACLKWSDQRAOEXAMPLE:run-1',
    });
  });

  it('decodes XML entities in values', () => {
    const xml = WEB_IDENTITY.replace('run-1</Arn>', 'a&amp;b</Arn>');
    expect(parseAssumeRoleResponse(xml, 'AssumeRoleWithWebIdentity')?.arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/gha-deploy/a&b',
    );
  });

  it('returns undefined for another action, missing credentials, or non-XML', () => {
    expect(parseAssumeRoleResponse(WEB_IDENTITY, 'AssumeRole')).toBeUndefined();
    expect(
      parseAssumeRoleResponse(
        WEB_IDENTITY.replace(/<SessionToken>.*<\/SessionToken>/, ''),
        'AssumeRoleWithWebIdentity',
      ),
    ).toBeUndefined();
    expect(parseAssumeRoleResponse('<html>502 Bad Gateway', 'AssumeRoleWithWebIdentity')).toBeUndefined();
    expect(parseAssumeRoleResponse('', 'AssumeRoleWithWebIdentity')).toBeUndefined();
  });
});

describe('parseStsError', () => {
  it('reads type, code, message and request id', () => {
    const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>
  </Error>
  <RequestId>4a1b2c3d-0000-1111-2222-333344445555</RequestId>
</ErrorResponse>`;
    expect(parseStsError(xml)).toEqual({
      type: 'Sender',
      code: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      requestId: '4a1b2c3d-0000-1111-2222-333344445555',
    });
  });

  it('returns undefined for bodies that are not STS errors', () => {
    expect(parseStsError('<Other><Error><Code>X</Code></Error></Other>')).toBeUndefined();
    expect(parseStsError('Service Unavailable')).toBeUndefined();
    expect(parseStsError('<ErrorResponse><Error></Error></ErrorResponse>')).toBeUndefined();
  });
});
