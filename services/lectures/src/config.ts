import { baseConfigShape } from '@goorm/common';
import { z } from 'zod';
import { searchCacheConfigShape } from './sections/search-cache.ts';
import { searchCatalogConfigShape } from './sections/search-catalog.ts';

/** Every key the lectures service reads (parsed once with `loadConfig`). */
export const lecturesConfigShape = {
  ...baseConfigShape,
  ...searchCacheConfigShape,
  ...searchCatalogConfigShape,
  PORT: z.coerce.number().int().default(4002),
};
