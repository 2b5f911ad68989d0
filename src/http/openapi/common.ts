/** Small builders shared by the parts of the OpenAPI document. */
import { z } from 'zod';
import { idParams } from '../schemas/common.schemas.js';
import type { responseComponents } from '../schemas/response.schemas.js';

export const json = (schema: object) => ({ content: { 'application/json': { schema } } });
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** An error answer: `{"error": {"code", "message", "requestId"}}` with what it means here. */
export const failure = (description: string) => ({ description, ...json(ref('Error')) });
export const errors = {
  '400': failure('Invalid input'),
  '401': failure('Not signed in'),
  '403': failure('Missing or wrong CSRF token'),
};
/** The `{id}` path parameter of generations and exports. */
export const idParam = parametersFromZod(idParams, 'path')[0];
export const csrf = [{ session: [], csrf: [] }];

/** A zod schema as the document's JSON Schema: what a client sends, as the route parses it. */
export function fromZod(schema: z.ZodType): object {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' });
}

/**
 * A response schema (src/http/schemas/*response.schemas.ts, contact.schemas.ts) as the
 * document's JSON Schema: what the route sends.
 */
export function responseFromZod(schema: z.ZodType): object {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'output',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      // A client should accept fields added later; zod's output objects say none may be.
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
      // The format says it; zod's regex for it is a page long.
      if (['date-time', 'date', 'uuid'].includes(String(jsonSchema.format))) {
        delete jsonSchema.pattern;
      }
      // z.number().int() bounds itself by the safe integers, which every JSON number is.
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    },
  });
}

/** A success answer whose body is one of the named response components. */
export const answerOf = (description: string, name: keyof typeof responseComponents) => ({
  description,
  ...json(ref(name)),
});

/** A success answer with a JSON body described by a response schema. */
export const answer = (description: string, schema: z.ZodType) => ({
  description,
  ...json(responseFromZod(schema)),
});

/** A JSON request body the route requires, described from the schema it parses the body with. */
export const requiredBody = (schema: z.ZodType) => ({ required: true, ...json(fromZod(schema)) });

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
