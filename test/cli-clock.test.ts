import { describe, expect, it } from 'vitest';
import { clockFrom } from '../src/cli/clock.js';
import type { CliIo } from '../src/cli/io.js';

const io = (PCSYNC_NOW?: string) => ({ env: { PCSYNC_NOW } }) as unknown as CliIo;

/** PCSYNC_NOW / --now: ISO 8601 only, a zone with every time, and only dates that exist (breaker of issue 27). */
describe('clockFrom: the pinned "now" of report, import and undo', () => {
  it('reads a date as midnight UTC and a time with its zone', () => {
    expect(clockFrom(io('2026-03-01'), undefined).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(clockFrom(io('2026-03-01T09:30:00Z'), undefined).toISOString()).toBe('2026-03-01T09:30:00.000Z');
    expect(clockFrom(io('2026-03-01T09:30+01:00'), undefined).toISOString()).toBe('2026-03-01T08:30:00.000Z');
    expect(clockFrom(io(undefined), '2024-02-29T23:59:59.5Z').toISOString()).toBe('2024-02-29T23:59:59.500Z');
  });

  it('refuses a day that does not exist, a time without a zone, and anything not ISO 8601, naming the variable', () => {
    expect(() => clockFrom(io('2026-02-30'), undefined)).toThrow(/PCSYNC_NOW: "2026-02-30" is not a date that exists/);
    expect(() => clockFrom(io('2026-02-28T24:00:00Z'), undefined)).toThrow(/not a date that exists/);
    expect(() => clockFrom(io('2026-03-01T09:30:00'), undefined)).toThrow(/has a time but no zone/);
    expect(() => clockFrom(io('010'), undefined)).toThrow(/PCSYNC_NOW: "010" is not a date/);
    expect(() => clockFrom(io('March 1, 2026'), undefined)).toThrow(/is not a date/);
    expect(() => clockFrom(io(undefined), '2026-13-01')).toThrow(/--now: "2026-13-01" is not a date that exists/);
  });
});
