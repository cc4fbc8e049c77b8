/**
 * The staff app's one client: the shared core of @goorm/contracts with one typed function per
 * endpoint. Components never call fetch; stores call these.
 */
import { aiApi, authApi, cartsApi, enrollmentApi, lecturesApi } from '@goorm/contracts';
import { createClient } from '@goorm/contracts/client';
import { config } from '../config.ts';

export { ApiError, isApiError, type ClientErrorCode } from '@goorm/contracts/client';

export const client = createClient({ baseUrl: config.apiBase });

export const auth = client.bind(authApi);
export const lectures = client.bind(lecturesApi);
export const carts = client.bind(cartsApi);
export const enrollment = client.bind(enrollmentApi);
export const ai = client.bind(aiApi);
