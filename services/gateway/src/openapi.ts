import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { z } from 'zod';

import { applyRequestExamples } from './openapi-examples';
import type { AnyRouteSpec, RouteGroup } from './rest/route';

const ValidationErrorSchema = z
  .object({
    detail: z.array(
      z.object({
        loc: z.array(z.union([z.string(), z.number()])),
        msg: z.string(),
        type: z.string(),
      }),
    ),
  })
  .meta({ id: 'HTTPValidationError' });

const ErrorSchema = z.object({ detail: z.string() }).meta({ id: 'HTTPError' });

/**
 * Express `/files/:filename` → OpenAPI `/files/{filename}`. The trailing slash is dropped: routers are
 * not strict, so `/api/v1/user-chat` and `/api/v1/user-chat/` both serve.
 */
function toOpenApiPath(prefix: string, path: string): string {
  const full = `${prefix === '/' ? '' : prefix}${path}`
    .replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
    .replace(/(.)\/+$/, '$1');
  return full || '/';
}

const pascal = (word: string) =>
  word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/**
 * One operationId per route, derived centrally from method and path so route files need not
 * name them: `get /api/v1/user-chat/email/{email}` → `getApiV1UserChatEmailByEmail`.
 */
export function operationId(method: string, openApiPath: string): string {
  const parts = openApiPath
    .split('/')
    .filter(Boolean)
    .map((seg) => (/^\{(.+)\}$/.test(seg) ? `By${pascal(seg.slice(1, -1))}` : pascal(seg)));
  return `${method.toLowerCase()}${parts.join('') || 'Root'}`;
}

function operation(spec: AnyRouteSpec, path: string): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    const type = r.contentType ?? 'application/json';
    responses[status] = {
      description: r.description,
      ...(r.schema ? { content: { [type]: { schema: r.schema } } } : {}),
    };
  }
  if ((spec.params || spec.query || spec.body) && !responses['422']) {
    responses['422'] = {
      description: 'Validation Error',
      content: { 'application/json': { schema: ValidationErrorSchema } },
    };
  }
  if ((spec.auth === 'bearer' || spec.auth === 'service') && !responses['401']) {
    responses['401'] = {
      description: 'Unauthorized',
      content: { 'application/json': { schema: ErrorSchema } },
    };
  }
  const op: ZodOpenApiOperationObject = {
    operationId: operationId(spec.method, path),
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    requestParams: {
      ...(spec.params ? { path: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
    },
    responses,
  };
  // Explicit on every operation: public routes say `security: []` so "Try it out" sends no token.
  if (spec.auth === 'bearer' || spec.auth === 'service') op.security = [{ bearer: [] }];
  else if (spec.auth === 'optional-bearer') op.security = [{ bearer: [] }, {}];
  else op.security = [];
  if (spec.body) op.requestBody = { content: { 'application/json': { schema: spec.body } } };
  if (spec.multipart)
    op.requestBody = { content: { 'multipart/form-data': { schema: spec.multipart } } };
  return op;
}

/** Builds the OpenAPI 3.1 document from the same zod schemas the routes validate with. */
export function buildOpenApi(
  groups: RouteGroup[],
  info: { title: string; version: string; description?: string },
) {
  const paths: ZodOpenApiPathsObject = {};
  for (const group of groups) {
    for (const spec of group.routes) {
      const path = toOpenApiPath(group.prefix, spec.path);
      paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec, path) };
    }
  }
  const doc = createDocument({
    openapi: '3.1.0',
    info: { license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' }, ...info },
    // Relative: "Try it out" targets whichever host served the page (proxies included).
    servers: [{ url: '/', description: 'This server' }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  });
  return applyRequestExamples(doc);
}
