/**
 * An endpoint of the API as data: method, path, who may call it, what it takes and what it answers.
 * Services mount it (`ApiRouter.route`), OpenAPI is generated from it and the browser client calls it:
 * one definition, three uses.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import type { Role } from './domain.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call: anyone, any signed-in user, or these roles. */
export type Access = 'public' | 'authenticated' | Role | readonly Role[];

export interface ResponseSpec {
  description: string;
  /** JSON body; absent for 204 or a non-JSON body. */
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
  /** Other representations the same status may answer instead (content type → description), e.g. text/csv by `Accept`. */
  alternatives?: Record<string, string>;
  /** Response headers worth knowing (name → description), e.g. Location, Retry-After. */
  headers?: Record<string, string>;
}

/** A request body that is not JSON (e.g. a CSV upload): sent and received as text. */
export interface RawBodySpec {
  contentType: string;
  description: string;
}

export interface HeaderSpec {
  description: string;
  required?: boolean;
}

export interface Endpoint<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends Record<number, ResponseSpec> = Record<number, ResponseSpec>,
  RB extends RawBodySpec | undefined = RawBodySpec | undefined,
> {
  method: Method;
  /** Relative to the service's prefix, Express style: `/me/items/:sectionId`. */
  path: string;
  summary: string;
  tags: readonly string[];
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Instead of a JSON `body`: a text body of this content type. */
  rawBody?: RB;
  headers?: Record<string, HeaderSpec>;
  responses: R;
  /** Refusals this endpoint documents (each code's problem members are in the error table). */
  errors?: readonly ErrorCode[];
}

/** Declares one endpoint, keeping its literal types. */
export const endpoint = <
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  const R extends Record<number, ResponseSpec> = Record<number, ResponseSpec>,
  const RB extends RawBodySpec | undefined = undefined,
>(
  e: Endpoint<P, Q, B, R, RB>,
): Endpoint<P, Q, B, R, RB> => e;

export interface ServiceContract<E extends Record<string, Endpoint> = Record<string, Endpoint>> {
  /** Where the gateway routes it, e.g. /api/carts. */
  prefix: string;
  endpoints: E;
}

export const serviceContract = <const E extends Record<string, Endpoint>>(prefix: string, endpoints: E): ServiceContract<E> => ({ prefix, endpoints });

/** Common query pieces. */
export const pageQuery = {
  page: z.coerce.number().int().min(1).default(1),
  size: z.coerce.number().int().min(1).max(100).default(20),
};

/** `{items, total, page, size}` of one item schema. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), size: z.number().int() });

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
}

/** A positive integer id in a path or query (strings from the URL). */
export const idParam = z.coerce.number().int().positive();
/** A positive integer id in a JSON body (no coercion: `true` or `"1"` is refused). */
export const idField = z.number().int().positive();
export const idParams = z.object({ id: idParam });
