/** Reading an OpenAPI 3 document the way a client generator would, for the OpenAPI suite. */

/* eslint-disable @typescript-eslint/no-explicit-any */
export type OpenApiDocument = any;
export type Schema = any;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface Operation {
  method: string;
  path: string;
  op: any;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item[method]) out.push({ method, path, op: item[method] });
  }
  return out;
}

/** `/v1/holds/{id}` for a concrete `/v1/holds/3f…`: the documented path a request went to. */
export function documentedPath(doc: OpenApiDocument, method: string, concrete: string): Operation | undefined {
  const pathname = concrete.split('?')[0];
  return operationsOf(doc).find(
    (o) => o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname),
  );
}

/** The schema itself, following `$ref`s. */
export function resolveSchema(doc: OpenApiDocument, schema: Schema): Schema {
  let s = schema;
  while (s?.$ref) s = s.$ref.replace(/^#\//, '').split('/').reduce((node: any, key: string) => node?.[key], doc);
  return s;
}

/**
 * Where a JSON value departs from a schema: a field the schema does not name, a required field
 * missing, a wrong type, a value outside an enum. Empty when the value conforms. Covers the parts
 * of JSON Schema that @nestjs/swagger emits (objects, arrays, $ref, oneOf, allOf, nullable, enum).
 */
export function schemaProblems(doc: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  const s = resolveSchema(doc, schema);
  if (!s) return [`${at}: no schema`];
  // A nullable reference is written `{nullable, allOf: [$ref]}` or with `nullable` beside the `$ref`.
  if (value === null) return s.nullable || schema.nullable ? [] : [`${at}: null but not nullable`];
  if (s.oneOf) {
    const fits = s.oneOf.filter((option: Schema) => schemaProblems(doc, option, value, at).length === 0);
    return fits.length === 1 ? [] : [`${at}: matches ${fits.length} of the oneOf schemas`];
  }
  if (s.allOf) return s.allOf.flatMap((part: Schema) => schemaProblems(doc, { ...resolveSchema(doc, part), additionalProperties: true }, value, at));
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`];
  switch (s.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: not a string`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: not a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: not an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => schemaProblems(doc, s.items, item, `${at}[${i}]`)) : [`${at}: not an array`];
    case 'object':
    case undefined: {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const problems: string[] = [];
      const properties = s.properties ?? {};
      for (const name of s.required ?? []) if (!(name in (value as object))) problems.push(`${at}.${name}: required but missing`);
      for (const [name, field] of Object.entries(value as object)) {
        if (properties[name]) problems.push(...schemaProblems(doc, properties[name], field, `${at}.${name}`));
        else if (typeof s.additionalProperties === 'object') problems.push(...schemaProblems(doc, s.additionalProperties, field, `${at}.${name}`));
        else if (s.additionalProperties !== true) problems.push(`${at}.${name}: not in the schema`);
      }
      return problems;
    }
    default:
      return [`${at}: unknown schema type ${s.type}`];
  }
}
