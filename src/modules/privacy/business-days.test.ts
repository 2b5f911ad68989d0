import { describe, expect, it } from 'vitest';
import { BusinessCalendar, chinaDate } from './business-days.js';

const calendar = new BusinessCalendar();

describe('China business-day calendar', () => {
  it('knows holidays, weekends and make-up working days', () => {
    expect(calendar.isBusinessDay('2026-02-16')).toBe(false); // 春节, a Monday
    expect(calendar.isBusinessDay('2026-02-14')).toBe(true); // Saturday worked before 春节
    expect(calendar.isBusinessDay('2026-02-28')).toBe(true); // Saturday worked after 春节
    expect(calendar.isBusinessDay('2026-03-07')).toBe(false); // ordinary Saturday
    expect(calendar.isBusinessDay('2026-03-09')).toBe(true); // ordinary Monday
    expect(calendar.isBusinessDay('2025-10-08')).toBe(false); // 国庆节 + 中秋节 2025
    expect(calendar.isBusinessDay('2025-10-11')).toBe(true); // Saturday worked after it
  });

  it('counts 15 business days across Spring Festival 2026', () => {
    // Received Thursday 12 Feb 2026: Feb 13, 14 (Sat, worked), 24–28 (28 is a worked Sat),
    // Mar 2–6, Mar 9–11 → the 15th business day is Wednesday 11 March.
    const { dueDate, due, authoritative } = calendar.dueAfterBusinessDays(
      new Date('2026-02-12T10:00:00+08:00'),
    );
    expect(dueDate).toBe('2026-03-11');
    expect(due.toISOString()).toBe('2026-03-11T15:59:59.999Z');
    expect(authoritative).toBe(true);
  });

  it('counts from the China date, not the UTC date', () => {
    // 23:30 UTC on 12 Feb is already 07:30 on 13 Feb in Beijing.
    expect(chinaDate(new Date('2026-02-12T23:30:00Z'))).toBe('2026-02-13');
    expect(calendar.dueAfterBusinessDays(new Date('2026-02-12T23:30:00Z')).dueDate).toBe(
      '2026-03-12',
    );
  });

  it('counts across National Day 2025 and its make-up Saturday', () => {
    // Received Fri 26 Sep 2025: Sep 28 (Sun, worked), 29, 30, Oct 9, 10, 11 (Sat, worked), 13–17, 20–23.
    expect(calendar.dueAfterBusinessDays(new Date('2025-09-26T12:00:00+08:00')).dueDate).toBe(
      '2025-10-23',
    );
  });

  it('says when the answer rests on a provisional year', () => {
    const late = calendar.dueAfterBusinessDays(new Date('2026-12-15T12:00:00+08:00'));
    expect(late.dueDate).toBe('2027-01-06'); // 1 Jan 2027 is a statutory holiday
    expect(late.authoritative).toBe(false);
  });

  it('counts the business days left before a due date, from the China date of now', () => {
    // Due Wednesday 21 October 2026. Thursday 15 October: 16, 19, 20, 21 are left.
    expect(calendar.businessDaysLeft(new Date('2026-10-15T02:00:00Z'), '2026-10-21')).toBe(4);
    // 23:30 UTC on 15 October is already the 16th in China: 19, 20, 21.
    expect(calendar.businessDaysLeft(new Date('2026-10-15T23:30:00Z'), '2026-10-21')).toBe(3);
    // Across Golden Week: from 30 September, 8, 9, the make-up Saturday 10, then 12 October.
    expect(calendar.businessDaysLeft(new Date('2026-09-30T02:00:00Z'), '2026-10-12')).toBe(4);
    // On the day and after it: none left.
    expect(calendar.businessDaysLeft(new Date('2026-10-21T02:00:00Z'), '2026-10-21')).toBe(0);
    expect(calendar.businessDaysLeft(new Date('2026-10-23T02:00:00Z'), '2026-10-21')).toBe(0);
  });
});
