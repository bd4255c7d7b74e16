import { UserError } from '@slipway/core';
import { endpointUrl } from './http-endpoint.ts';

export type AwsPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

const REGION_PATTERN = /^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$/;

/** Regions where STS offers a FIPS endpoint (`sts-fips.<region>`); in GovCloud the regular endpoint is FIPS already. */
const FIPS_REGIONS = new Set([
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
]);

/** The partition a region belongs to; throws for malformed regions and for partitions we do not serve. */
export function partitionOf(region: string): AwsPartition {
  if (!REGION_PATTERN.test(region)) {
    throw new UserError(
      `Input 'aws-region' has the value '${region}', which is not an AWS region. Expected a region code such as us-east-1, cn-north-1 or us-gov-west-1.`,
    );
  }
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The audience AWS expects by default for GitHub's token in a partition. */
export function defaultAwsAudience(partition: AwsPartition): string {
  return partition === 'aws-cn' ? 'sts.amazonaws.com.cn' : 'sts.amazonaws.com';
}

export interface StsEndpointOptions {
  region: string;
  fips?: boolean;
  dualStack?: boolean;
  /** `sts-endpoint` input: replaces the computed endpoint (tests, VPC endpoints). */
  override?: string;
}

/** The regional STS endpoint URL for the options, e.g. https://sts.eu-west-1.amazonaws.com. */
export function stsEndpoint(options: StsEndpointOptions): string {
  if (options.override) return endpointUrl(options.override, 'sts-endpoint');
  const { region } = options;
  const partition = partitionOf(region);
  const host = options.fips ? 'sts-fips' : 'sts';
  if (options.fips) {
    if (partition === 'aws-cn')
      throw new UserError(
        "Input 'use-fips-endpoint' is true, but STS has no FIPS endpoint in the China partition. Set it to false.",
      );
    if (partition === 'aws' && !FIPS_REGIONS.has(region))
      throw new UserError(
        `Input 'use-fips-endpoint' is true, but STS has no FIPS endpoint in ${region}. Use one of ${[...FIPS_REGIONS].join(', ')}, or set it to false.`,
      );
  }
  if (partition === 'aws-cn') {
    return options.dualStack
      ? `https://sts.${region}.api.amazonwebservices.com.cn`
      : `https://sts.${region}.amazonaws.com.cn`;
  }
  const fipsHost = partition === 'aws-us-gov' ? 'sts' : host;
  return options.dualStack
    ? `https://${fipsHost}.${region}.api.aws`
    : `https://${fipsHost}.${region}.amazonaws.com`;
}

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/** Validates a role ARN for `input` and that it lives in the region's partition; returns its account id. */
export function checkRoleArn(arn: string, input: string, partition: AwsPartition): string {
  const match = ROLE_ARN.exec(arn);
  if (!match) {
    throw new UserError(
      `Input '${input}' has the value '${arn}', which is not an IAM role ARN. Expected arn:<partition>:iam::<12-digit account>:role/<name>.`,
    );
  }
  if (match[1] !== partition) {
    throw new UserError(
      `Input '${input}' names a role in partition '${match[1]}', but aws-region is in '${partition}'. Use a role ARN and region from the same partition.`,
    );
  }
  return match[2] as string;
}
