import { chinaPublicHolidays, type HolidayYear } from './china-public-holidays.js';

/** Rights requests are answered within 15 business days (the privacy policy's promise). */
export const REQUEST_DUE_BUSINESS_DAYS = 15;

// Mainland China has one time zone and no daylight saving: UTC+8 all year.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export class BusinessCalendar {
  readonly #holidays = new Set<string>();
  readonly #workingWeekends = new Set<string>();
  readonly #years: Set<number>;
  readonly #provisionalYears: Set<number>;

  constructor(data: Record<number, HolidayYear> = chinaPublicHolidays) {
    for (const year of Object.values(data)) {
      for (const day of year.holidays) this.#holidays.add(day);
      for (const day of year.workingWeekends) this.#workingWeekends.add(day);
    }
    this.#years = new Set(Object.keys(data).map(Number));
    this.#provisionalYears = new Set(
      Object.entries(data)
        .filter(([, y]) => y.provisional)
        .map(([year]) => Number(year)),
    );
  }

  /** True when `isoDate` (YYYY-MM-DD, China time) is a working day. */
  isBusinessDay(isoDate: string): boolean {
    if (this.#workingWeekends.has(isoDate)) return true;
    if (this.#holidays.has(isoDate)) return false;
    const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** Whether the calendar for that year is the published notice (not provisional, not missing). */
  isAuthoritative(year: number): boolean {
    return this.#years.has(year) && !this.#provisionalYears.has(year);
  }

  /**
   * The due moment for something received at `receivedAt`: the end (23:59:59.999 China time) of
   * the n-th business day after the day it was received. The day of receipt does not count.
   */
  dueAfterBusinessDays(
    receivedAt: Date,
    businessDays = REQUEST_DUE_BUSINESS_DAYS,
  ): { due: Date; dueDate: string; authoritative: boolean } {
    let day = chinaDate(receivedAt);
    let counted = 0;
    let authoritative = true;
    while (counted < businessDays) {
      day = nextDate(day);
      if (!this.isAuthoritative(Number(day.slice(0, 4)))) authoritative = false;
      if (this.isBusinessDay(day)) counted += 1;
    }
    const due = new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY_MS - 1 - CHINA_OFFSET_MS);
    return { due, dueDate: day, authoritative };
  }

  /**
   * Business days still left before `dueDate` (YYYY-MM-DD, China) ends, not counting the China day
   * of `now`: 0 on the due date itself (and after it), 1 on the business day before, and so on.
   */
  businessDaysLeft(now: Date, dueDate: string): number {
    let day = chinaDate(now);
    let left = 0;
    while (day < dueDate) {
      day = nextDate(day);
      if (this.isBusinessDay(day)) left += 1;
    }
    return left;
  }
}

export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

function nextDate(isoDate: string): string {
  return new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + DAY_MS).toISOString().slice(0, 10);
}
