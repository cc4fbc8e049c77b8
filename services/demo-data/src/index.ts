export * from './types.ts';
export { Random, ZipfSampler } from './random.ts';
export { koreanName, type PersonName } from './names.ts';
export { MAJORS, GENERAL_EDUCATION, MAX_MAJORS, type MajorSpec, type TitleSpec } from './catalog.ts';
export {
  generateUniversity,
  entranceYear,
  SMALL_UNIVERSITY,
  BENCHMARK_UNIVERSITY,
  DEFAULT_SEED,
  type GenerateOptions,
  type CartOptions,
} from './generate.ts';
export {
  loadUniversity,
  clearUniversity,
  seedDemo,
  hashDemoPassword,
  UNIVERSITY_TABLES,
  type LoadOptions,
  type LoadCounts,
  type SeedDemoOptions,
  type SeedResult,
} from './load.ts';
export { ALL_MIGRATIONS, migrateUniversity } from './migrations.ts';
