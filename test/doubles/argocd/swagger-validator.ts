/**
 * Validates the double's request bodies and responses against Argo CD's own
 * OpenAPI (swagger 2.0) description, ../shared/fixtures/argocd/swagger.json,
 * with ajv 8. All `definitions` are registered once as one schema; each
 * operation's body/response schema is compiled on first use.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sharedFixture } from '../../shared-fixtures.ts';

type Json = Record<string, unknown>;

interface SwaggerDocument {
  paths: Record<string, Record<string, Json>>;
  definitions: Record<string, Json>;
}

const DOC_ID = 'argocd-swagger';
let documentCache: SwaggerDocument | undefined;
let ajvCache: Ajv | undefined;
const validators = new Map<string, ValidateFunction | null>();

function loadDocument(): SwaggerDocument {
  documentCache ??= JSON.parse(readFileSync(sharedFixture('argocd/swagger.json'), 'utf8')) as SwaggerDocument;
  return documentCache;
}

/** `#/definitions/X` -> `argocd-swagger#/definitions/X`, so operation schemas resolve against the document. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' ? `${DOC_ID}${value}` : rebase(value);
  }
  return out;
}

function ajv(): Ajv {
  if (!ajvCache) {
    ajvCache = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    (addFormatsModule as unknown as (a: Ajv) => void)(ajvCache);
    for (const format of ['int32', 'int64', 'uint32', 'uint64', 'double', 'float', 'byte']) {
      ajvCache.addFormat(format, true);
    }
    ajvCache.addSchema({ $id: DOC_ID, definitions: loadDocument().definitions });
  }
  return ajvCache;
}

function operation(method: string, path: string): Json {
  const op = loadDocument().paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`swagger.json has no operation ${method} ${path}`);
  return op;
}

function compile(key: string, schema: unknown): ValidateFunction | null {
  if (!validators.has(key)) validators.set(key, schema ? ajv().compile(rebase(schema) as Json) : null);
  return validators.get(key)!;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`)
    .join('; ');
}

export interface Validation {
  ok: boolean;
  message: string;
}

/** The body parameter of `method path` (a JSON value already parsed). */
export function validateRequestBody(method: string, path: string, body: unknown): Validation {
  const parameters = (operation(method, path).parameters as Json[] | undefined) ?? [];
  const schema = parameters.find((p) => p.in === 'body')?.schema;
  const validate = compile(`${method} ${path} body`, schema);
  if (!validate || validate(body)) return { ok: true, message: '' };
  return { ok: false, message: describe(validate.errors) };
}

/** A response: 200 against its schema, anything else against `default` (grpc-gateway's runtimeError). */
export function validateResponse(method: string, path: string, status: number, body: unknown): Validation {
  const responses = (operation(method, path).responses as Record<string, Json> | undefined) ?? {};
  const response = responses[String(status)] ?? responses.default;
  if (!response) return { ok: false, message: `status ${status} is not documented` };
  const validate = compile(
    `${method} ${path} ${responses[String(status)] ? status : 'default'}`,
    response.schema,
  );
  if (!validate || validate(body)) return { ok: true, message: '' };
  return { ok: false, message: describe(validate.errors) };
}
