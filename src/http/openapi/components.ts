import { responseComponents } from '../schemas/response.schemas.js';
import { responseFromZod } from './common.js';

/**
 * The document's shared components: security schemes, and the response bodies generated from
 * the zod schemas the routes answer with (src/http/schemas/response.schemas.ts).
 */
export const components = {
  securitySchemes: {
    session: { type: 'apiKey', in: 'cookie', name: 'instune_session' },
    csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
  },
  schemas: Object.fromEntries(
    Object.entries(responseComponents).map(([name, schema]) => [name, responseFromZod(schema)]),
  ),
};
