/**
 * What the fuzz suite knows about a route, read from its contract (`@goorm/contracts`): the
 * members of its params, query and body as JSON Schema (zod's own `toJSONSchema`), a valid value
 * for each (the baseline a case breaks), and the oracle: whether the services' edge (body parser,
 * query parser, zod) must refuse a concrete request before any handler runs.
 */
import { parse as parseQueryString } from 'node:querystring';
import fc from 'fast-check';
import { z } from 'zod';
import type { Endpoint, ServiceContract } from '@goorm/contracts';
import * as contracts from '@goorm/contracts';

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  default?: unknown;
}

export type Caller = 'anonymous' | 'student' | 'staff';

export interface Route {
  /** `POST /api/enrollments/swap` */
  name: string;
  /** The service prefix, e.g. /api/lectures (its query parser differs). */
  prefix: string;
  endpoint: Endpoint;
  /** `/api/enrollments/sections/:id/waitlist/:studentId` */
  template: string;
  callers: Caller[];
}

/** Every endpoint of every service contract exported by @goorm/contracts. */
export function contractRoutes(): Route[] {
  const services = (Object.values(contracts) as unknown[]).filter(
    (v): v is ServiceContract => typeof v === 'object' && v !== null && 'prefix' in v && 'endpoints' in v,
  );
  return services.flatMap((s) =>
    Object.values(s.endpoints).map((e) => {
      const template = `${s.prefix}${e.path === '/' ? '' : e.path}`;
      return { name: `${e.method.toUpperCase()} ${template}`, prefix: s.prefix, endpoint: e, template, callers: callersOf(e.access) };
    }),
  );
}

/** The callers the route's access admits (the fuzz is about input, not about authorization). */
function callersOf(access: Endpoint['access']): Caller[] {
  if (access === 'public') return ['anonymous'];
  if (access === 'authenticated') return ['student', 'staff'];
  return typeof access === 'string' ? [access] : [...access];
}

/** Literal path segments of every route: a generated path parameter never equals one (it would route elsewhere). */
export function literalSegments(routes: Route[]): Set<string> {
  return new Set(routes.flatMap((r) => r.template.split('/').filter((s) => s !== '' && !s.startsWith(':'))));
}

export function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

const typesOf = (s: JsonSchema): string[] => {
  if (s.anyOf) return s.anyOf.flatMap(typesOf);
  if (s.enum) return ['enum'];
  if (s.type === undefined) return ['any'];
  return Array.isArray(s.type) ? s.type : [s.type];
};

/** A member of a body (top level, or inside the first element of an array of objects). */
export interface Slot {
  path: (string | number)[];
  /** integer, number, string, boolean, enum, array, object, null, any */
  types: string[];
  required: boolean;
  schema: JsonSchema;
}

/** The members of an object schema, two levels deep (`meetings.0.day`). */
export function slotsOf(schema: JsonSchema | undefined, at: (string | number)[] = [], depth = 0): Slot[] {
  if (!schema?.properties || depth > 2) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).flatMap(([name, s]) => {
    const path = [...at, name];
    const own: Slot = { path, types: typesOf(s), required: required.has(name) && s.default === undefined, schema: s };
    const inner = s.items?.properties ? slotsOf(s.items, [...path, 0], depth + 1) : slotsOf(s, path, depth + 1);
    return [own, ...inner];
  });
}

/**
 * Valid values of members whose generic sample would break a cross-field rule of the contract
 * (closesAt after opensAt, two different sections to swap). A test checks every baseline parses.
 */
const SAMPLE_OVERRIDES: Record<string, unknown> = {
  closesAt: '2099-03-03T09:00:00+09:00',
  toSectionId: 2,
};

/** One valid value of a schema: the smallest that satisfies it. */
export function sampleOf(s: JsonSchema, name = ''): unknown {
  if (name in SAMPLE_OVERRIDES) return SAMPLE_OVERRIDES[name];
  if (s.default !== undefined) return s.default;
  if (s.anyOf) return sampleOf(s.anyOf[0]!, name);
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  switch (Array.isArray(s.type) ? s.type[0] : s.type) {
    case 'integer':
    case 'number':
      return s.minimum ?? (s.exclusiveMinimum !== undefined ? Math.floor(s.exclusiveMinimum) + 1 : 1);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, (_, i) => {
        const v = sampleOf(s.items ?? {}, name);
        return typeof v === 'number' ? v + i : v;
      });
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, sampleOf(s.properties?.[k] ?? {}, k)]));
    case 'string':
      if (s.format === 'date-time') return '2099-03-02T09:00:00+09:00';
      if (s.format === 'date') return '2099-03-02';
      if (s.format === 'email') return 'fuzz@example.com';
      if (s.pattern) return fc.sample(fc.stringMatching(new RegExp(s.pattern)), { numRuns: 1, seed: 17 })[0];
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    default:
      return 'x';
  }
}

/** The valid request a case starts from: path parameters, query and body (JSON) of the route. */
export interface Baseline {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

export function baselineOf(e: Endpoint): Baseline {
  const stringly = (s: JsonSchema | undefined) =>
    Object.fromEntries((s?.required ?? []).map((k) => [k, String(sampleOf(s!.properties?.[k] ?? {}, k))]));
  return {
    params: stringly(jsonSchemaOf(e.params)),
    query: stringly(jsonSchemaOf(e.query)),
    body: e.body ? sampleOf(jsonSchemaOf(e.body)!) : undefined,
  };
}

// ---- the oracle ---------------------------------------------------------------------------------

/** A request as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** Already percent-encoded (or deliberately malformed). */
  path: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

const JSON_LIMIT = 256 * 1024; // createServiceApp: express.json({ limit: '256kb' })
const CSV_LIMIT = 5 * 1024 * 1024; // lectures: express.text({ type: 'text/csv', limit: '5mb' })

type Parsed = { refused: true; why: string } | { refused: false; value: unknown };
const refused = (why: string): Parsed => ({ refused: true, why });

/** What the services' body parsers make of the request (express.json for every service, express.text for CSV uploads). */
function parseBody(req: WireRequest, route: Route): Parsed {
  if (req.body === undefined) return { refused: false, value: undefined };
  const [type = '', ...params] = (req.headers['content-type'] ?? '').split(';').map((p) => p.trim());
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice(8).toLowerCase();
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const media = type.toLowerCase();
  if (media === 'application/json') {
    // Every compressed body the suite sends is broken, unknown or inflates past the limit.
    if (encoding !== 'identity') return refused(`content-encoding ${encoding}`);
    if (charset !== undefined && !charset.startsWith('utf-')) return refused(`charset ${charset}`);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf-16le') throw new Error(`the oracle does not model charset ${charset}`);
    if (req.body.length > JSON_LIMIT) return refused('over the JSON limit');
    // iconv-lite (the parser's decoder) drops a leading byte order mark.
    const text = req.body.toString(charset === 'utf-16le' ? 'utf16le' : 'utf8').replace(/^\ufeff/, '');
    if (text.length === 0) return { refused: false, value: {} };
    const first = /^[ \t\n\r]*([^ \t\n\r])/.exec(text)?.[1]; // JSON's whitespace only, as the parser reads it
    if (first !== '{' && first !== '[') return refused('not an object or array (strict JSON)');
    try {
      return { refused: false, value: JSON.parse(text) as unknown };
    } catch {
      return refused('malformed JSON');
    }
  }
  if (media === 'text/csv' && route.endpoint.rawBody) {
    if (encoding !== 'identity') return refused(`content-encoding ${encoding}`);
    if (req.body.length > CSV_LIMIT) return refused('over the CSV limit');
    // Every CSV the suite sends is refused by the import (see fuzz.cases.ts `csvBody`).
    return { refused: false, value: req.body.toString('utf8') };
  }
  return { refused: false, value: undefined };
}

/** Express matched the route; its router decodes each parameter with decodeURIComponent (a URIError is a 400). */
function decodeParams(req: WireRequest, route: Route): Record<string, string> | undefined {
  const pathOnly = req.path.split('?')[0]!.split('/');
  const template = route.template.split('/');
  const params: Record<string, string> = {};
  for (const [i, t] of template.entries()) {
    if (!t.startsWith(':')) continue;
    try {
      params[t.slice(1)] = decodeURIComponent(pathOnly[i] ?? '');
    } catch {
      return undefined;
    }
  }
  return params;
}

/** Express 5's default query parser is node:querystring; the lectures service drops empty values first. */
function parseQuery(req: WireRequest, route: Route): Record<string, unknown> {
  const q = req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '';
  const parsed = { ...parseQueryString(q) } as Record<string, unknown>;
  if (route.prefix === '/api/lectures') for (const [k, v] of Object.entries(parsed)) if (v === '') delete parsed[k];
  return parsed;
}

/**
 * Why the services must refuse this request at their edge (before any handler runs, so before any
 * write), or undefined when the edge would let it through (the case is then not an invalid one).
 */
export function refusalOf(req: WireRequest, route: Route): string | undefined {
  const e = route.endpoint;
  const body = parseBody(req, route);
  if (body.refused) return body.why;
  const params = decodeParams(req, route);
  if (!params) return 'malformed percent-encoding in the path';
  if (e.params && !e.params.safeParse(params).success) return 'params refused by the contract';
  if (e.query && !e.query.safeParse(parseQuery(req, route)).success) return 'query refused by the contract';
  if (e.body && !e.body.safeParse(body.value).success) return 'body refused by the contract';
  if (e.rawBody) {
    if (typeof body.value !== 'string') return 'not a text/csv body';
    const dryRun = e.query?.safeParse(parseQuery(req, route));
    if (dryRun?.success && (dryRun.data as { dryRun?: boolean }).dryRun) return undefined; // the preview answers 200
    return 'a CSV the import refuses';
  }
  return undefined;
}
