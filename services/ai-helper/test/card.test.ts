/** The committed documents quote the committed model card exactly: MODEL_CARD.md and both READMEs' block. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderModelCard, renderSummary, replaceSummary, SUMMARY_BEGIN, SUMMARY_END } from '../src/training/card.ts';
import { readCard, SUMMARY_FILES } from '../src/training/readme.ts';

const modelDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../models');
const card = readCard(modelDir);

describe('model card documents', () => {
  it('MODEL_CARD.md is the rendering of model-card.json, with the forecast calibration table', () => {
    const text = readFileSync(path.join(modelDir, 'MODEL_CARD.md'), 'utf8');
    expect(text).toBe(renderModelCard(card));
    expect(text).toContain('| predicted P(full) | sections | mean predicted | observed share full |');
  });

  it.each(SUMMARY_FILES.map((f) => [path.relative(path.resolve(modelDir, '../../..'), f), f]))('%s quotes the card between the markers', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const block = text.slice(text.indexOf(SUMMARY_BEGIN), text.indexOf(SUMMARY_END) + SUMMARY_END.length);
    expect(block).toBe(renderSummary(card));
    expect(block).toContain(card.version);
    for (const entry of Object.values(card.models)) expect(block).toContain(`| **model** (${entry.kind}) |`);
  });

  it('refuses a document without the markers instead of appending somewhere', () => {
    expect(() => replaceSummary('# no markers here\n', renderSummary(card))).toThrow(/markers/);
  });
});
