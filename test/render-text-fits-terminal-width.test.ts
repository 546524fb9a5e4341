import { describe, expect, it } from 'vitest';
import { render } from '../src/render/index.js';
import { visibleLength, wrapText } from '../src/render/wrap.js';
import { demoDesired, demoLive, NAME } from './fixtures/plan/demo.js';
import { plan } from './fixtures/plan/edit.js';

const migrating = plan(demoDesired(), demoLive());

describe('text plan fits the terminal width', () => {
  it.each([40, 80, 120])('every line is at most %i columns, and no word is lost', (width) => {
    const wide = render(migrating, 'text');
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeGreaterThan(120);
    const text = render(migrating, 'text', { width });
    for (const line of text.split('\n')) expect(visibleLength(line), line).toBeLessThanOrEqual(width);
    // Only whitespace changes (a word longer than the line is cut, not dropped).
    expect(text.replace(/\s+(↳ )?/g, '')).toBe(wide.replace(/\s+/g, ''));
  });

  it('keeps colour escapes out of the count and gives the same breaks as plain text', () => {
    const coloured = render(migrating, 'text', { width: 60, color: true });
    for (const line of coloured.split('\n')) expect(visibleLength(line)).toBeLessThanOrEqual(60);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(render(migrating, 'text', { width: 60 }));
  });

  it('indents continuation lines under their own line', () => {
    const wrapped = wrapText(`  + purchase  "${NAME.salesPro}" (sales-pro): new subscription, 5 seat(s)  [irreversible]`, 50).split('\n');
    expect(wrapped.length).toBeGreaterThan(1);
    expect(wrapped.slice(1).every((l) => l.startsWith('      '))).toBe(true);
  });
});
