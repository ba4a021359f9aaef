import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { z } from 'zod';

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

/** Express `/files/:filename` → OpenAPI `/files/{filename}`. */
function toOpenApiPath(prefix: string, path: string): string {
  const full = `${prefix === '/' ? '' : prefix}${path}`.replace(
    /:([A-Za-z_][A-Za-z0-9_]*)/g,
    '{$1}',
  );
  return full || '/';
}

function operation(spec: AnyRouteSpec): ZodOpenApiOperationObject {
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
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    requestParams: {
      ...(spec.params ? { path: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
    },
    responses,
  };
  if (spec.auth === 'bearer' || spec.auth === 'service') op.security = [{ bearer: [] }];
  if (spec.auth === 'optional-bearer') op.security = [{ bearer: [] }, {}];
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
      paths[path] = { ...(paths[path] ?? {}), [spec.method]: operation(spec) };
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info,
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  });
}
