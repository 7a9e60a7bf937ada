// FSPIOP DateTime text from epoch milliseconds without the Date global, so that actors (which
// may not read the clock or use Date) can stamp `completedTimestamp` from ctx.nowMs. Output is
// UTC with mandatory milliseconds: `2026-05-24T08:38:08.699Z`. Civil-from-days after H. Hinnant.

const MS_PER_DAY = 86_400_000;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = div(z, 146_097);
  const doe = z - era * 146_097;
  const yoe = div(doe - div(doe, 1460) + div(doe, 36_524) - div(doe, 146_096), 365);
  const doy = doe - (365 * yoe + div(yoe, 4) - div(yoe, 100));
  const mp = div(5 * doy + 2, 153);
  const day = doy - div(153 * mp + 2, 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

// Integer division for non-negative operands, without Math.
function div(a: number, b: number): number {
  return (a - (a % b)) / b;
}

/** Renders epoch milliseconds (≥ 1970) as an FSPIOP DateTime in UTC. */
export function formatDateTime(epochMs: number): string {
  const days = div(epochMs, MS_PER_DAY);
  const msOfDay = epochMs - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hours = div(msOfDay, 3_600_000);
  const minutes = div(msOfDay % 3_600_000, 60_000);
  const seconds = div(msOfDay % 60_000, 1000);
  const millis = msOfDay % 1000;
  return (
    `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T` +
    `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}Z`
  );
}
