/**
 * Mainland China's public holidays and the weekend days that become working days (调休上班),
 * as published each year by the General Office of the State Council. Data, not logic: add a
 * year when its notice is published (usually in November of the year before).
 *
 * A year marked provisional holds only the statutory days of the national holiday regulation
 * (全国年节及纪念日放假办法, 2025 revision), without the make-up arrangement; it is replaced by
 * the published notice.
 */
export interface HolidayYear {
  source: string;
  provisional: boolean;
  /** Days off, YYYY-MM-DD (weekend days inside a holiday block included). */
  holidays: string[];
  /** Saturdays/Sundays that are working days. */
  workingWeekends: string[];
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

export const chinaPublicHolidays: Record<number, HolidayYear> = {
  2025: {
    source: '国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号)',
    provisional: false,
    holidays: [
      '2025-01-01',
      ...days('2025-01-28', '2025-02-04'), // 春节
      ...days('2025-04-04', '2025-04-06'), // 清明节
      ...days('2025-05-01', '2025-05-05'), // 劳动节
      ...days('2025-05-31', '2025-06-02'), // 端午节
      ...days('2025-10-01', '2025-10-08'), // 国庆节、中秋节
    ],
    workingWeekends: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    source: '国务院办公厅关于2026年部分节假日安排的通知',
    provisional: false,
    holidays: [
      ...days('2026-01-01', '2026-01-03'), // 元旦
      ...days('2026-02-15', '2026-02-23'), // 春节
      ...days('2026-04-04', '2026-04-06'), // 清明节
      ...days('2026-05-01', '2026-05-05'), // 劳动节
      ...days('2026-06-19', '2026-06-21'), // 端午节
      ...days('2026-09-25', '2026-09-27'), // 中秋节
      ...days('2026-10-01', '2026-10-07'), // 国庆节
    ],
    workingWeekends: [
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ],
  },
  2027: {
    source:
      'statutory days only (全国年节及纪念日放假办法); replace with the 2027 State Council notice',
    provisional: true,
    holidays: [
      '2027-01-01', // 元旦
      ...days('2027-02-05', '2027-02-08'), // 春节: 除夕 to 初三
      '2027-04-05', // 清明节
      ...days('2027-05-01', '2027-05-02'), // 劳动节
      '2027-06-09', // 端午节
      '2027-09-15', // 中秋节
      ...days('2027-10-01', '2027-10-03'), // 国庆节
    ],
    workingWeekends: [],
  },
};
