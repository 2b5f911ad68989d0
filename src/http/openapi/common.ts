/** Small builders shared by the parts of the OpenAPI document. */
import { z } from 'zod';
import { idParams } from '../schemas/common.schemas.js';

export const json = (schema: object) => ({ content: { 'application/json': { schema } } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const errors = {
  '400': { description: 'Invalid input', ...json(ref('Error')) },
  '401': { description: 'Not signed in', ...json(ref('Error')) },
  '403': { description: 'Missing or wrong CSRF token', ...json(ref('Error')) },
};
/** The `{id}` path parameter of generations and exports. */
export const idParam = parametersFromZod(idParams, 'path')[0];
export const csrf = [{ session: [], csrf: [] }];

/** A zod schema as the document's JSON Schema: what a client sends, as the route parses it. */
export function fromZod(schema: z.ZodType): object {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
}

/** Each property of an object schema as an OpenAPI parameter (`in: path` or `in: query`). */
export function parametersFromZod(schema: z.ZodObject, location: 'path' | 'query'): object[] {
  const json = fromZod(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}
