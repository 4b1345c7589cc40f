import { Provider } from '@nestjs/common';
import Holidays from 'date-holidays';
import { APP_CONFIG, AppConfig } from '@lib/config';
import { HolidayCalendar } from './policy';

/**
 * Public and bank holidays of a region (`GB-ENG`, `US`, `DE-BY`, …) from the maintained
 * date-holidays data. Days are compared as UTC calendar dates.
 */
export class RegionHolidayCalendar implements HolidayCalendar {
  private readonly holidays: Holidays;
  private readonly byYear = new Map<number, Set<string>>();

  constructor(readonly region: string) {
    const [country, state] = region.split('-');
    this.holidays = state ? new Holidays(country, state) : new Holidays(country);
  }

  isHoliday(day: Date): boolean {
    const year = day.getUTCFullYear();
    let dates = this.byYear.get(year);
    if (!dates) {
      dates = new Set(
        this.holidays
          .getHolidays(year)
          .filter((h) => h.type === 'public' || h.type === 'bank')
          .map((h) => h.date.slice(0, 10)),
      );
      this.byYear.set(year, dates);
    }
    return dates.has(day.toISOString().slice(0, 10));
  }
}

export function isKnownRegion(region: string): boolean {
  const [country, state] = region.split('-');
  const countries = new Holidays().getCountries();
  if (!countries[country]) return false;
  return !state || Boolean(new Holidays().getStates(country)?.[state]);
}

/**
 * The injection token of the service's `HolidayCalendar`: the region's calendar
 * (`RETENTION_HOLIDAY_REGION`), provided once by the retention module. Tests and tools may
 * provide another (`NO_HOLIDAYS`, a fixed list).
 */
export const HOLIDAY_CALENDAR = Symbol('HolidayCalendar');

export const holidayCalendarProvider: Provider = {
  provide: HOLIDAY_CALENDAR,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): HolidayCalendar => new RegionHolidayCalendar(config.retention.holidayRegion),
};
