/** Viet Nam's offset from UTC: +07:00 all year (no daylight saving since 1975). */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

/**
 * Today in Viet Nam as the API's calendar date ('yyyy-MM-dd'). Plain arithmetic on the fixed offset:
 * the first Intl formatter with a time zone loads the zone's data, tens of ms in the worksheet's
 * first render.
 */
export function todayIso(now: Date = new Date()): string {
  return new Date(now.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}
