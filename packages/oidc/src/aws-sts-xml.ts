import { XmlElement, parseXml } from '@rgrove/parse-xml';

/** Temporary credentials as STS returns them in `<Credentials>`. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** ISO 8601, as STS wrote it. */
  expiration: string;
}

export interface AssumedRole {
  credentials: AwsCredentials;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>` */
  arn: string;
  assumedRoleId: string;
}

/** The `<Error>` of an STS `<ErrorResponse>`. */
export interface StsErrorBody {
  type?: string;
  code: string;
  message: string;
  requestId?: string;
}

type Node = XmlElement | undefined;

/** The first child element called `name` (names are matched without a namespace prefix). */
const child = (node: Node, name: string): Node =>
  node?.children.find(
    (c): c is XmlElement => c instanceof XmlElement && c.name.replace(/^[^:]*:/, '') === name,
  );
const text = (node: Node, name: string): string | undefined => child(node, name)?.text.trim();

/** The root element, or undefined when the body is not well-formed XML. */
function parse(body: string): Node {
  try {
    return parseXml(body).root ?? undefined;
  } catch {
    return undefined;
  }
}

const rootNamed = (body: string, name: string): Node => {
  const root = parse(body);
  return root && root.name.replace(/^[^:]*:/, '') === name ? root : undefined;
};

/**
 * Reads `<{action}Response><{action}Result>` (AssumeRole / AssumeRoleWithWebIdentity).
 * Returns undefined when the document lacks any credential field.
 */
export function parseAssumeRoleResponse(body: string, action: string): AssumedRole | undefined {
  const result = child(rootNamed(body, `${action}Response`), `${action}Result`);
  const credentials = child(result, 'Credentials');
  const user = child(result, 'AssumedRoleUser');
  const accessKeyId = text(credentials, 'AccessKeyId');
  const secretAccessKey = text(credentials, 'SecretAccessKey');
  const sessionToken = text(credentials, 'SessionToken');
  const expiration = text(credentials, 'Expiration');
  const arn = text(user, 'Arn');
  if (!accessKeyId || !secretAccessKey || !sessionToken || !expiration || !arn) return undefined;
  return {
    credentials: { accessKeyId, secretAccessKey, sessionToken, expiration },
    arn,
    assumedRoleId: text(user, 'AssumedRoleId') ?? '',
  };
}

/** Reads `<ErrorResponse><Error><Code>`; undefined when the body is not an STS error document. */
export function parseStsError(body: string): StsErrorBody | undefined {
  const response = rootNamed(body, 'ErrorResponse');
  const error = child(response, 'Error');
  const code = text(error, 'Code');
  if (!code) return undefined;
  const type = text(error, 'Type');
  const requestId = text(response, 'RequestId');
  return {
    code,
    message: text(error, 'Message') ?? '',
    ...(type ? { type } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
