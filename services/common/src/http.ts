import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { authenticate, type Access } from './auth.ts';
import { validationFailed, type FieldError } from './errors.ts';
import type { AuthUser, TokenVerifier } from './tokens.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  summary: string;
  tags?: string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  headers?: Record<string, { description: string; required?: boolean }>;
  responses?: Record<number, ResponseSpec>;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: AuthUser | undefined;
  req: Request;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

interface RegisteredRoute {
  method: Method;
  path: string;
  spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>;
}

export function zodIssuesToFieldErrors(where: string, issues: z.core.$ZodIssue[]): FieldError[] {
  return issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

function parsePart<T extends z.ZodType>(where: string, schema: T | undefined, value: unknown): z.output<T> | undefined {
  if (!schema) return undefined;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (!r.success) throw validationFailed(zodIssuesToFieldErrors(where, r.error.issues));
  return r.data;
}

/**
 * A router whose routes are validated with zod at the edge and documented in OpenAPI from the
 * same schemas. Handlers receive typed, parsed input and the caller; they never try/catch
 * (Express 5 forwards rejected promises to the error handler).
 */
export class ApiRouter {
  readonly router: Router = express.Router();
  readonly routes: RegisteredRoute[] = [];

  constructor(
    private readonly verifier: TokenVerifier,
    /** Path prefix under which this router is mounted, e.g. /api/lectures (for OpenAPI). */
    readonly prefix: string,
  ) {}

  private add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    method: Method,
    path: string,
    spec: RouteSpec<P, Q, B>,
    handler: (input: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res: Response) => unknown,
  ) {
    this.routes.push({ method, path, spec: spec as RouteSpec<z.ZodType, z.ZodType, z.ZodType> });
    const template = `${this.prefix}${path === '/' ? '' : path}` || '/';
    const label: express.RequestHandler = (_req, res, next) => {
      // the full route template, for metrics: req.baseUrl is already reset when an error unwinds
      res.locals.routeTemplate = template;
      next();
    };
    this.router[method](path, label, authenticate(this.verifier, spec.access), async (req: Request, res: Response) => {
      const params = parsePart('params', spec.params, req.params);
      const query = parsePart('query', spec.query, req.query);
      const body = parsePart('body', spec.body, req.body);
      await handler({ params, query, body, user: req.user, req } as RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res);
    });
    return this;
  }

  get<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(path: string, spec: RouteSpec<P, Q, B>, h: (i: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res: Response) => unknown) {
    return this.add('get', path, spec, h);
  }
  post<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(path: string, spec: RouteSpec<P, Q, B>, h: (i: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res: Response) => unknown) {
    return this.add('post', path, spec, h);
  }
  put<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(path: string, spec: RouteSpec<P, Q, B>, h: (i: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res: Response) => unknown) {
    return this.add('put', path, spec, h);
  }
  patch<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(path: string, spec: RouteSpec<P, Q, B>, h: (i: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res: Response) => unknown) {
    return this.add('patch', path, spec, h);
  }
  delete<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(path: string, spec: RouteSpec<P, Q, B>, h: (i: RouteInput<Infer<P>, Infer<Q>, Infer<B>>, res: Response) => unknown) {
    return this.add('delete', path, spec, h);
  }
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** Builds an OpenAPI 3.1 document from the routers' zod schemas. */
export function buildOpenApi(info: { title: string; version: string; description?: string }, routers: ApiRouter[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routers) {
    for (const route of r.routes) {
      const full = (r.prefix + route.path).replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
      const parameters: unknown[] = [];
      for (const [where, schema] of [['path', route.spec.params], ['query', route.spec.query]] as const) {
        if (!schema) continue;
        const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, prop] of Object.entries(js.properties ?? {})) {
          parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
        }
      }
      for (const [name, h] of Object.entries(route.spec.headers ?? {})) {
        parameters.push({ name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } });
      }
      const responses: Record<string, unknown> = {};
      for (const [status, resp] of Object.entries(route.spec.responses ?? { 200: { description: 'OK' } })) {
        responses[status] = {
          description: resp.description,
          ...(resp.schema
            ? { content: { [resp.contentType ?? 'application/json']: { schema: jsonSchema(resp.schema, 'output') } } }
            : resp.contentType
              ? { content: { [resp.contentType]: { schema: { type: 'string' } } } }
              : {}),
        };
      }
      responses.default = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
      const access = route.spec.access;
      (paths[full] ??= {})[route.method] = {
        summary: route.spec.summary,
        tags: route.spec.tags ?? [],
        ...(access === 'public' ? { security: [] } : {}),
        ...(access !== 'public' && access !== 'authenticated' ? { 'x-roles': typeof access === 'string' ? [access] : access } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(route.spec.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.spec.body, 'input') } } } }
          : {}),
        responses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    security: [{ bearerAuth: [] }],
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: problemSchema },
    },
  };
}

/** Common query pieces. */
export const idParam = z.object({ id: z.coerce.number().int().positive() });
export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  size: z.coerce.number().int().min(1).max(100).default(20),
};
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}
