/**
 * Whether this browser can draw the charts on a canvas. jsdom (the component specs) has no 2D
 * context: there the charts are left out and their tables alternatives carry the numbers.
 */
export function canDrawCharts(): boolean {
  if (typeof document === 'undefined' || typeof navigator === 'undefined') return false;
  if (/jsdom/i.test(navigator.userAgent)) return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}
