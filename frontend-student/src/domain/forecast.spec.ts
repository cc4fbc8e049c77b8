import { describe, expect, it } from 'vitest';
import { createAppI18n } from '../i18n/index.ts';
import { makeForecast } from '../testing/fixtures.ts';
import { forecastDescription, forecastLines, formatFillTime, formatProbability, formatSpan } from './forecast.ts';

const ko = createAppI18n('ko').global.t;
const en = createAppI18n('en').global.t;

describe('formatSpan', () => {
  it('rounds to the minute and says hours past the hour', () => {
    expect(formatSpan(0.3, ko)).toBe('1분 이내');
    expect(formatSpan(2.4, ko)).toBe('약 2분');
    expect(formatSpan(59.6, ko)).toBe('약 1시간');
    expect(formatSpan(84, ko)).toBe('약 1시간 24분');
    expect(formatSpan(84, en)).toBe('about 1 h 24 min');
  });
});

describe('formatFillTime', () => {
  it('counts from the opening within the first window, and from the grade’s own opening after it', () => {
    expect(formatFillTime(2.4, ko)).toBe('개시 후 약 2분');
    expect(formatFillTime(962, ko)).toBe('2학년 신청 개시 후 약 2분');
    expect(formatFillTime(545, ko)).toBe('3학년 신청 개시 후 약 1시간 5분');
    expect(formatFillTime(962, en)).toBe('about 2 min after grade 2 registration opens');
  });

  it('says "unlikely to fill" when the model expects no fill time', () => {
    expect(formatFillTime(null, ko)).toBe('마감 가능성 낮음');
    expect(formatFillTime(null, en)).toBe('unlikely to fill');
  });
});

describe('formatProbability', () => {
  it('shows a whole percentage, and never 0% or 100% for what is only nearly impossible or nearly certain', () => {
    expect(formatProbability(0.41, ko)).toBe('41%');
    expect(formatProbability(0.004, ko)).toBe('1% 미만');
    expect(formatProbability(0, ko)).toBe('0%');
    expect(formatProbability(0.998, ko)).toBe('99% 초과');
    expect(formatProbability(1, ko)).toBe('100%');
    expect(formatProbability(0.004, en)).toBe('under 1%');
  });
});

describe('forecastLines', () => {
  it('gives P(full), P(full within 10 minutes) and the expected fill time', () => {
    const f = makeForecast(1, { pFill: 0.82, expectedFillMinutes: 2.4 });
    expect(forecastLines(f, ko)).toEqual(['신청 기간 안에 마감될 확률 82%', '개시 10분 안에 마감될 확률 41%', '예상 마감 개시 후 약 2분']);
    expect(forecastDescription(f, ko)).toBe('신청 기간 안에 마감될 확률 82% · 개시 10분 안에 마감될 확률 41% · 예상 마감 개시 후 약 2분');
  });

  it('leaves the 10-minute line out when the model has no such horizon', () => {
    const f = makeForecast(1, { pFill: 0.1, pFillWithin: { '1': 0, '5': 0.01 }, expectedFillMinutes: null });
    expect(forecastLines(f, en)).toEqual(['Chance it fills before registration ends: 10%', 'Expected fill time: unlikely to fill']);
  });
});
