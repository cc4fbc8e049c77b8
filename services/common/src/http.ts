import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  ERROR_CODES,
  ERRORS,
  isErrorCode,
  problemSchemaOf,
  type Endpoint,
  type ErrorCode,
  type ServiceContract,
} from '@goorm/contracts';
import { authenticate } from './auth.ts';
import { AppError, PROBLEM_CONTENT_TYPE as PROBLEM, validationFailed, type FieldError } from './errors.ts';
import type { AuthUser, TokenVerifier } from './tokens.ts';

/** The parsed type of an optional schema member of an endpoint (`body?: B`); undefined when the endpoint has none. */
type Infer<T> = [NonNullable<T>] extends [never] ? undefined : NonNullable<T> extends z.ZodType ? z.output<NonNullable<T>> : undefined;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  user: AuthUser | undefined;
  req: Request;
}

export type RouteHandler<E extends Endpoint> = (
  input: RouteInput<Infer<E['params']>, Infer<E['query']>, Infer<E['body']>>,
  res: Response,
) => unknown;

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
 * Tests only: when set, every answer of a contract route and every problem document is checked against
 * what the contract declares for it (see `@goorm/common/testing` `checkResponsesAgainstContract`).
 * Unset in production: the hot path pays one comparison.
 */
export interface ResponseViolation {
  route: string;
  status: number;
  message: string;
}
let responseCheck: ((v: ResponseViolation) => void) | undefined;
/** Sets (or clears) the reporter; answers the one it replaces. */
export function setResponseCheck(report: ((v: ResponseViolation) => void) | undefined): ((v: ResponseViolation) => void) | undefined {
  const previous = responseCheck;
  responseCheck = report;
  return previous;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Paths of members the answer carries that the schema does not declare (zod drops them while parsing). */
export function undeclaredMembers(sent: unknown, parsed: unknown, at = '$'): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) return sent.flatMap((v, i) => undeclaredMembers(v, parsed[i], `${at}[${i}]`));
  if (isPlainObject(sent) && isPlainObject(parsed)) {
    return Object.keys(sent).flatMap((k) => (Object.hasOwn(parsed, k) ? undeclaredMembers(sent[k], parsed[k], `${at}.${k}`) : [`${at}.${k}`]));
  }
  return [];
}

/** Problems with one JSON answer against its schema: failed rules, then members the schema lacks. */
export function schemaViolations(schema: z.ZodType, body: unknown): string[] {
  const r = schema.safeParse(body);
  if (!r.success) return r.error.issues.map((i) => `${['$', ...i.path.map(String)].join('.')}: ${i.message}`);
  return undeclaredMembers(body, r.data).map((p) => `${p}: not declared in the contract`);
}

function parseJsonBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

function checkRouteAnswer(route: string, e: Endpoint, res: Response, body: unknown, report: (v: ResponseViolation) => void) {
  const status = res.statusCode;
  if (status >= 400) return; // problems are checked where they are rendered (errorHandler)
  const declared = e.responses[status];
  if (!declared) return report({ route, status, message: `status ${status} is not declared` });
  const type = String(res.getHeader('Content-Type') ?? '');
  if (!type.includes('json')) {
    const declaredTypes = [declared.contentType ?? (declared.schema ? 'application/json' : ''), ...Object.keys(declared.alternatives ?? {})].filter(Boolean);
    if (!declaredTypes.some((t) => type.startsWith(t))) report({ route, status, message: `sent ${type || 'no content type'}, declared ${declaredTypes.join(' or ') || 'no body'}` });
    return;
  }
  if (!declared.schema) return report({ route, status, message: 'sent a JSON body where none is declared' });
  for (const message of schemaViolations(declared.schema, parseJsonBody(body))) report({ route, status, message });
}

/** Tests only: checks a problem document against its code's declared members (called by errorHandler). */
export function checkProblem(route: string, body: Record<string, unknown>): void {
  if (!responseCheck) return;
  const status = typeof body.status === 'number' ? body.status : 0;
  const code = body.code;
  if (!isErrorCode(code)) return responseCheck({ route, status, message: `unknown error code ${String(code)}` });
  for (const message of schemaViolations(problemSchemaOf(code), body)) responseCheck({ route, status, message: `${code} ${message}` });
}

/** While checking, route answers go through `checkRouteAnswer` on their way out. */
function watch(route: string, e: Endpoint, res: Response, report: (v: ResponseViolation) => void) {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    // res.json(obj) and res.send(obj) come back here with the serialized string.
    if (typeof body === 'string' || Buffer.isBuffer(body)) {
      try {
        checkRouteAnswer(route, e, res, body, report);
      } catch (err) {
        report({ route, status: res.statusCode, message: `unreadable answer: ${(err as Error).message}` });
      }
    }
    return send(body as never);
  }) as Response['send'];
}

interface RegisteredRoute {
  endpoint: Endpoint;
}

const patterns = new Map<string, RegExp>();
/** `/api/x/:id/y` as a RegExp over a request path (a parameter is one non-empty segment; a trailing slash allowed). */
function templatePattern(template: string): RegExp {
  let p = patterns.get(template);
  if (!p) {
    const body = template
      .split('/')
      .map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    p = new RegExp(`^${body}/?$`);
    patterns.set(template, p);
  }
  return p;
}

/**
 * After every router: a request whose path is a route of ours but not its method is answered 405
 * METHOD_NOT_ALLOWED with `Allow` (not 404, which would say the resource does not exist).
 */
export function methodNotAllowed(routers: readonly ApiRouter[]): express.RequestHandler {
  return (req, res, next) => {
    const allowed = [...new Set(routers.flatMap((r) => r.methodsAt(req.path)))];
    if (allowed.length === 0) return next();
    if (allowed.includes('GET')) allowed.push('HEAD');
    res.setHeader('Allow', allowed.join(', '));
    next(new AppError('METHOD_NOT_ALLOWED', { detail: `${req.method} is not allowed here; allowed: ${allowed.join(', ')}` }));
  };
}

/**
 * A router of one service's contract endpoints: each is validated with zod at the edge, documented in
 * OpenAPI and called by the browser client from the same declaration (`@goorm/contracts`). Handlers
 * receive typed, parsed input and the caller; they never try/catch (Express 5 forwards rejected
 * promises to the error handler).
 */
export class ApiRouter {
  readonly router: Router = express.Router();
  readonly routes: RegisteredRoute[] = [];
  /** Path prefix under which this router is mounted, e.g. /api/lectures. */
  readonly prefix: string;

  constructor(
    private readonly verifier: TokenVerifier,
    readonly contract: ServiceContract,
  ) {
    this.prefix = contract.prefix;
  }

  /** Mounts one endpoint of this router's contract. */
  route<E extends Endpoint>(e: E, handler: RouteHandler<E>): this {
    if (!Object.values(this.contract.endpoints).includes(e)) {
      throw new Error(`${e.method.toUpperCase()} ${e.path} is not an endpoint of the ${this.prefix} contract`);
    }
    this.routes.push({ endpoint: e });
    const template = `${this.prefix}${e.path === '/' ? '' : e.path}` || '/';
    const label: express.RequestHandler = (_req, res, next) => {
      // the full route template, for metrics: req.baseUrl is already reset when an error unwinds
      res.locals.routeTemplate = template;
      next();
    };
    this.router[e.method](e.path, label, authenticate(this.verifier, e.access), async (req: Request, res: Response) => {
      if (responseCheck) watch(`${e.method.toUpperCase()} ${template}`, e, res, responseCheck);
      const params = parsePart('params', e.params, req.params);
      const query = parsePart('query', e.query, req.query);
      const body = parsePart('body', e.body, req.body);
      await handler({ params, query, body, user: req.user, req } as Parameters<RouteHandler<E>>[0], res);
    });
    return this;
  }

  /** The methods this router answers at `path` (a full request path), e.g. ['GET', 'PUT']; empty when no route's template matches it. */
  methodsAt(path: string): string[] {
    const methods = new Set<string>();
    for (const r of this.routes) {
      const e = r.endpoint;
      const template = `${this.prefix}${e.path === '/' ? '' : e.path}` || '/';
      if (templatePattern(template).test(path)) methods.add(e.method.toUpperCase());
    }
    return [...methods];
  }

  /** Contract endpoints this router does not mount (a test asserts there are none). */
  unmounted(): string[] {
    const mounted = new Set(this.routes.map((r) => r.endpoint));
    return Object.entries(this.contract.endpoints)
      .filter(([, e]) => !mounted.has(e))
      .map(([name]) => name);
  }
}

const problemRef = (code: ErrorCode) => ({ $ref: `#/components/schemas/Problem_${code}` });

/** One schema per error code (its standard and extension members), and `Problem`: any of them, by `code`. */
function problemComponents(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const code of ERROR_CODES) {
    schemas[`Problem_${code}`] = { ...jsonSchema(problemSchemaOf(code), 'output'), 'x-status': ERRORS[code].status };
  }
  schemas.Problem = {
    oneOf: ERROR_CODES.map(problemRef),
    discriminator: { propertyName: 'code', mapping: Object.fromEntries(ERROR_CODES.map((c) => [c, problemRef(c).$ref])) },
  };
  return schemas;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** Builds an OpenAPI 3.1 document from the routers' zod schemas. */
export function buildOpenApi(info: { title: string; version: string; description?: string }, routers: ApiRouter[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routers) {
    const unmounted = r.unmounted();
    if (unmounted.length > 0) throw new Error(`${r.prefix}: contract endpoints not mounted: ${unmounted.join(', ')}`);
    for (const route of r.routes) {
      const spec = route.endpoint;
      const full = (r.prefix + spec.path).replace(/:(\w+)/g, '{$1}').replace(/\/$/, '') || '/';
      const parameters: unknown[] = [];
      for (const [where, schema] of [['path', spec.params], ['query', spec.query]] as const) {
        if (!schema) continue;
        const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, prop] of Object.entries(js.properties ?? {})) {
          parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
        }
      }
      for (const [name, h] of Object.entries(spec.headers ?? {})) {
        parameters.push({ name, in: 'header', required: h.required ?? false, description: h.description, schema: { type: 'string' } });
      }
      const responses: Record<string, unknown> = {};
      for (const [status, resp] of Object.entries(spec.responses)) {
        const content: Record<string, unknown> = {};
        if (resp.schema) content[resp.contentType ?? 'application/json'] = { schema: jsonSchema(resp.schema, 'output') };
        else if (resp.contentType) content[resp.contentType] = { schema: { type: 'string' } };
        for (const [type, description] of Object.entries(resp.alternatives ?? {})) content[type] = { schema: { type: 'string', description } };
        responses[status] = {
          description: resp.description,
          ...(Object.keys(content).length ? { content } : {}),
          ...(resp.headers
            ? { headers: Object.fromEntries(Object.entries(resp.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) }
            : {}),
        };
      }
      const byStatus = new Map<number, ErrorCode[]>();
      for (const code of spec.errors ?? []) byStatus.set(ERRORS[code].status, [...(byStatus.get(ERRORS[code].status) ?? []), code]);
      for (const [status, codes] of byStatus) {
        responses[status] ??= {
          description: codes.join(', '),
          content: { [PROBLEM]: { schema: codes.length === 1 ? problemRef(codes[0]!) : { oneOf: codes.map(problemRef) } } },
        };
      }
      responses.default = { description: 'Problem', content: { [PROBLEM]: { schema: { $ref: '#/components/schemas/Problem' } } } };
      const access = spec.access;
      (paths[full] ??= {})[spec.method] = {
        summary: spec.summary,
        tags: spec.tags,
        ...(access === 'public' ? { security: [] } : {}),
        ...(access !== 'public' && access !== 'authenticated' ? { 'x-roles': typeof access === 'string' ? [access] : access } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(spec.errors?.length ? { 'x-error-codes': spec.errors } : {}),
        ...(spec.rawBody
          ? { requestBody: { required: true, description: spec.rawBody.description, content: { [spec.rawBody.contentType]: { schema: { type: 'string' } } } } }
          : {}),
        ...(spec.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
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
      schemas: problemComponents(),
    },
  };
}
