/**
 * Validates REST request bodies and responses against GitHub's OpenAPI
 * description (@octokit/openapi, generated/api.github.com.json). The 13 MB file
 * is read once per process, lazily; only the operations the double serves are
 * compiled, each as a standalone schema carrying the components it references.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

interface OpenApiDocument {
  paths: Record<string, Record<string, Json>>;
  components: {
    schemas: Record<string, Json>;
    responses: Record<string, Json>;
    requestBodies?: Record<string, Json>;
  };
}

export interface OperationInfo {
  operationId: string;
  documentationUrl: string;
  documentedStatuses: string[];
}

export interface ValidationResult {
  ok: boolean;
  message: string;
}

let documentCache: OpenApiDocument | undefined;
let ajvCache: Ajv | undefined;
const validatorCache = new Map<string, ValidateFunction | null>();

function loadDocument(): OpenApiDocument {
  if (!documentCache) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    documentCache = JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument;
  }
  return documentCache;
}

function ajv(): Ajv {
  if (!ajvCache) {
    ajvCache = new Ajv({ strict: false, allErrors: true, validateSchema: false, discriminator: false });
    const addFormats = addFormatsModule as unknown as (a: Ajv) => void;
    addFormats(ajvCache);
    for (const format of ['int32', 'int64', 'double', 'repo.nwo', 'binary', 'timestamp']) {
      ajvCache.addFormat(format, true);
    }
  }
  return ajvCache;
}

function resolveComponent(section: 'responses' | 'requestBodies', value: Json | undefined): Json | undefined {
  const ref = value?.$ref;
  if (typeof ref !== 'string') return value;
  const name = ref.slice(`#/components/${section}/`.length);
  return loadDocument().components[section]?.[name];
}

function collectSchemaRefs(node: unknown, into: Record<string, Json>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectSchemaRefs(item, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      const name = value.slice('#/components/schemas/'.length);
      if (!(name in into)) {
        const schema = loadDocument().components.schemas[name];
        if (!schema) throw new Error(`OpenAPI: dangling $ref ${value}`);
        into[name] = schema;
        collectSchemaRefs(schema, into);
      }
    } else if (key !== 'examples' && key !== 'example') {
      collectSchemaRefs(value, into);
    }
  }
}

/** Converts OpenAPI 3.0 `nullable` into JSON Schema that ajv understands, without mutating the source. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'description') continue;
    out[key] = key === 'properties' ? mapValues(value as Json) : toJsonSchema(value);
  }
  if (out.nullable !== true) return out;
  delete out.nullable;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

function mapValues(properties: Json): Json {
  const out: Json = {};
  for (const [name, schema] of Object.entries(properties)) out[name] = toJsonSchema(schema);
  return out;
}

function compile(key: string, schema: Json | undefined): ValidateFunction | null {
  if (validatorCache.has(key)) return validatorCache.get(key)!;
  let validator: ValidateFunction | null = null;
  if (schema) {
    const schemas: Record<string, Json> = {};
    collectSchemaRefs(schema, schemas);
    const converted = toJsonSchema(schemas) as Json;
    validator = ajv().compile({
      $id: `github-double:${key}`,
      allOf: [toJsonSchema(schema)],
      components: { schemas: converted },
    });
  }
  validatorCache.set(key, validator);
  return validator;
}

function operation(method: string, path: string): Json {
  const op = loadDocument().paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`OpenAPI: no operation ${method} ${path} in api.github.com.json`);
  return op;
}

export function operationInfo(method: string, path: string): OperationInfo {
  const op = operation(method, path);
  const docs = op.externalDocs as { url?: string } | undefined;
  return {
    operationId: String(op.operationId),
    documentationUrl: docs?.url ?? 'https://docs.github.com/rest',
    documentedStatuses: Object.keys((op.responses as Json | undefined) ?? {}),
  };
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    )
    .join('; ');
}

/** Validates a JSON request body against the operation's requestBody schema. */
export function validateRequestBody(method: string, path: string, body: unknown): ValidationResult {
  const op = operation(method, path);
  const requestBody = resolveComponent('requestBodies', op.requestBody as Json | undefined);
  const content = requestBody?.content as Record<string, { schema?: Json }> | undefined;
  const schema = content?.['application/json']?.schema;
  const validator = compile(`${method} ${path} request`, schema);
  if (!validator) return { ok: true, message: '' };
  if (validator(body)) return { ok: true, message: '' };
  return { ok: false, message: describeErrors(validator.errors) };
}

/** Validates a response: the status must be documented and the JSON body must match its schema. */
export function validateResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
): ValidationResult {
  const op = operation(method, path);
  const responses = (op.responses as Record<string, Json> | undefined) ?? {};
  let response = resolveComponent('responses', responses[String(status)]);
  // GitHub answers 401/403/404 on every operation (auth, missing repository) though few document it.
  if (!response && (status === 401 || status === 403 || status === 404)) {
    response = loadDocument().components.responses.not_found;
  }
  if (!response) {
    return {
      ok: false,
      message: `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`,
    };
  }
  const content = response.content as Record<string, { schema?: Json }> | undefined;
  const schema = content?.['application/json']?.schema;
  if (!schema) return { ok: true, message: '' };
  const validator = compile(`${method} ${path} ${status}`, schema);
  if (!validator || validator(body)) return { ok: true, message: '' };
  return { ok: false, message: describeErrors(validator.errors) };
}
