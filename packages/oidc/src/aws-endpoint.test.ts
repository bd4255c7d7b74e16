import { describe, expect, it } from 'vitest';
import { checkRoleArn, defaultAwsAudience, partitionOf, stsEndpoint } from './aws-endpoint.ts';

describe('stsEndpoint', () => {
  it.each([
    [{ region: 'eu-west-1' }, 'https://sts.eu-west-1.amazonaws.com'],
    [{ region: 'us-east-1', fips: true }, 'https://sts-fips.us-east-1.amazonaws.com'],
    [{ region: 'us-east-2', dualStack: true }, 'https://sts.us-east-2.api.aws'],
    [{ region: 'us-west-2', fips: true, dualStack: true }, 'https://sts-fips.us-west-2.api.aws'],
    [{ region: 'cn-north-1' }, 'https://sts.cn-north-1.amazonaws.com.cn'],
    [
      { region: 'cn-northwest-1', dualStack: true },
      'https://sts.cn-northwest-1.api.amazonwebservices.com.cn',
    ],
    [{ region: 'us-gov-west-1' }, 'https://sts.us-gov-west-1.amazonaws.com'],
    [{ region: 'us-gov-east-1', fips: true }, 'https://sts.us-gov-east-1.amazonaws.com'],
    [
      { region: 'eu-west-1', override: 'https://vpce-0abc.sts.eu-west-1.vpce.amazonaws.com/' },
      'https://vpce-0abc.sts.eu-west-1.vpce.amazonaws.com',
    ],
    [{ region: 'eu-west-1', override: 'http://127.0.0.1:4566' }, 'http://127.0.0.1:4566'],
  ])('%o -> %s', (options, expected) => {
    expect(stsEndpoint(options)).toBe(expected);
  });

  it.each([
    [{ region: 'cn-north-1', fips: true }, 'no FIPS endpoint in the China partition'],
    [{ region: 'eu-west-1', fips: true }, 'STS has no FIPS endpoint in eu-west-1'],
    [{ region: 'EU-WEST-1' }, "Input 'aws-region' has the value 'EU-WEST-1', which is not an AWS region"],
    [{ region: 'eu-west-1', override: 'http://sts.example.com' }, "Input 'sts-endpoint'"],
    [{ region: 'eu-west-1', override: 'https://sts.example.com/?x=1' }, 'without query or fragment'],
  ])('%o is refused', (options, message) => {
    expect(() => stsEndpoint(options)).toThrow(message);
  });
});

describe('partitions', () => {
  it('maps regions to partitions and default audiences', () => {
    expect(['us-east-1', 'ap-southeast-5', 'cn-north-1', 'us-gov-west-1'].map(partitionOf)).toEqual([
      'aws',
      'aws',
      'aws-cn',
      'aws-us-gov',
    ]);
    expect(defaultAwsAudience('aws')).toBe('sts.amazonaws.com');
    expect(defaultAwsAudience('aws-us-gov')).toBe('sts.amazonaws.com');
    expect(defaultAwsAudience('aws-cn')).toBe('sts.amazonaws.com.cn');
  });

  it('checks role ARNs and their partition', () => {
    expect(checkRoleArn('arn:aws-cn:iam::123456789012:role/path/deploy', 'role-to-assume', 'aws-cn')).toBe(
      '123456789012',
    );
    expect(() => checkRoleArn('arn:aws:iam::123456789012:user/bob', 'role-to-assume', 'aws')).toThrow(
      "Input 'role-to-assume' has the value 'arn:aws:iam::123456789012:user/bob', which is not an IAM role ARN.",
    );
    expect(() => checkRoleArn('arn:aws:iam::123456789012:role/x', 'role-chain', 'aws-us-gov')).toThrow(
      "Input 'role-chain' names a role in partition 'aws', but aws-region is in 'aws-us-gov'.",
    );
  });
});
