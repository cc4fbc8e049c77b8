/**
 * `npm run card -w services/ai-helper`: rewrites MODEL_CARD.md and the model-card block of the READMEs
 * from the committed models/model-card.json, without training (`npm run train` does it too).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelCardSchema, type ModelCard } from '@goorm/contracts';
import { renderModelCard, writeSummaries } from './card.ts';

const SERVICE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The files that quote the model card between markers: the service's README and the repository's. */
export const SUMMARY_FILES = [path.join(SERVICE_ROOT, 'README.md'), path.resolve(SERVICE_ROOT, '../../README.md')];

export function readCard(modelDir: string): ModelCard {
  return modelCardSchema.parse(JSON.parse(readFileSync(path.join(modelDir, 'model-card.json'), 'utf8')));
}

export function writeCardDocuments(modelDir: string, card: ModelCard = readCard(modelDir)): void {
  writeFileSync(path.join(modelDir, 'MODEL_CARD.md'), renderModelCard(card));
  writeSummaries(card, SUMMARY_FILES);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeCardDocuments(path.join(SERVICE_ROOT, 'models'));
  process.stdout.write(`model card rewritten into MODEL_CARD.md and ${SUMMARY_FILES.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
}
