"""Dates from outside, made total: parsing clamps to a sane range, formatting never raises.

Feeds write dates nobody checks: Go's zero time "0001-01-01T00:00:00Z" (common in Hugo
feeds), year 9999, offsets of a day or more. A datetime near year 1 or 9999 cannot be moved
into most local zones (`astimezone()` raises OverflowError), so one such article used to crash
the reader at its first paint. Two rules keep every date harmless:

- `parse_date` keeps only dates in [EARLIEST_DATE, LATEST_DATE); anything else is "unknown"
  (None), and the store then uses the fetch time, as it does for a missing date. Dates later
  than the fetch time but before LATEST_DATE are clamped to the fetch time by the store.
- Everything that shows a date goes through `format_date` / `iso_date`, which never raise,
  and rows read from the store get their date from `from_epoch`, which clamps into the range.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

EARLIEST_DATE = datetime(1970, 1, 1, tzinfo=UTC)
"""The Unix epoch: no feed article is older, and earlier values are placeholders."""
LATEST_DATE = datetime(2100, 1, 1, tzinfo=UTC)
"""Far enough for any real date, far from year 9999 where local zones overflow."""
EARLIEST_EPOCH = int(EARLIEST_DATE.timestamp())
LATEST_EPOCH = int(LATEST_DATE.timestamp())

# The RFC 822 form nearly every RSS feed writes ("Sun, 02 Jun 2025 06:00:00 GMT"), read
# without email.utils: `_rfc822` gives what parsedate_to_datetime gives for these strings.
# Anything else (other zones, two-digit years, odd spacing) takes the general path.
_RFC822 = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9][0-9]{3}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) (GMT|UTC?|Z|[+-][0-9]{4})"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_UTC_OFFSET_ZERO = timezone(timedelta(0))
# Every way a date computation can fail on absurd input (year 0, overflowing offsets, huge
# numbers, platform time limits).
_DATE_ERRORS = (TypeError, ValueError, IndexError, OverflowError, OSError)


def _rfc822(match: re.Match[str]) -> datetime:
    """parsedate_to_datetime of a string `_RFC822` matched in full (raises ValueError alike).

    Same fields and arithmetic as email.utils: a numeric zone "+hhmm" is hh hours plus mm
    minutes (even mm >= 60), and a zone of a day or more makes timezone() raise ValueError.
    "-0000" (naive there, UTC-aware here) comes out the same from parse_date.
    """
    day, month, year, hour, minute, second, zone = match.groups()
    if zone[0] in "+-":
        minutes = int(zone[1:3]) * 60 + int(zone[3:])
        tz = timezone(timedelta(minutes=-minutes if zone[0] == "-" else minutes))
    else:
        tz = _UTC_OFFSET_ZERO
    return datetime(
        int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=tz
    )


def _parse_email_date(value: str) -> datetime:
    """email.utils' RFC 822 parser, imported on first use (the reader never needs it)."""
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(value)


def parse_date(value: str | None) -> datetime | None:
    """RFC 822 or ISO 8601 date → aware UTC datetime in [EARLIEST_DATE, LATEST_DATE), or None
    when it is unparseable or out of that range."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    # parsedate_to_datetime needs five whitespace-separated fields and raises otherwise, so a
    # value without whitespace (the ISO 8601 form) goes straight to fromisoformat. Every
    # whitespace character but " " is non-printable, which makes this test exact.
    if " " in value or not value.isprintable():
        rfc822 = _RFC822.fullmatch(value)
        try:
            parsed = _rfc822(rfc822) if rfc822 else _parse_email_date(value)
        except _DATE_ERRORS:
            parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(value.replace("z", "Z"))
        except _DATE_ERRORS:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        utc = parsed.astimezone(UTC)
    except _DATE_ERRORS:
        return None
    return utc if EARLIEST_DATE <= utc < LATEST_DATE else None


def from_epoch(value: object) -> datetime:
    """A stored epoch → aware UTC datetime, clamped into the sane range (never raises).

    Rows stored before dates were clamped at parse time may hold year 1 (-62135596800).
    """
    try:
        seconds = int(value)  # type: ignore[call-overload]
    except _DATE_ERRORS:
        seconds = EARLIEST_EPOCH
    seconds = min(max(seconds, EARLIEST_EPOCH), LATEST_EPOCH)
    return datetime.fromtimestamp(seconds, UTC)


def local_date(value: datetime) -> datetime:
    """`value` in the local zone, or as it is when the local zone cannot represent it."""
    try:
        return value.astimezone()
    except _DATE_ERRORS:
        return value


def format_date(
    value: datetime | None, pattern: str, *, local: bool = True, missing: str = "unknown"
) -> str:
    """`value` formatted with strftime `pattern`, in the local zone or as stored; never raises.

    A date the local zone cannot represent (near year 1 or 9999) is shown as stored instead.
    """
    if value is None:
        return missing
    shown = local_date(value) if local else value
    try:
        return shown.strftime(pattern)
    except _DATE_ERRORS:
        return missing


def compact_date(value: datetime, now: datetime, *, with_time: bool) -> str:
    """A local date in a fixed width for columns, with the year when it is not `now`'s year.

    With time (12 cells): "Nov 20 12:00" this year, "Dec 07  2017" before (as `ls -l`).
    Without (6 cells): "Nov 20" this year, "Dec'17" before, so an article from 2017 never
    passes for one from last week.
    """
    shown = local_date(value)
    if shown.year == local_date(now).year:
        return format_date(shown, "%b %d %H:%M" if with_time else "%b %d", local=False)
    return format_date(shown, "%b %d  %Y" if with_time else "%b'%y", local=False)


def iso_date(value: datetime | None) -> str | None:
    """datetime → ISO 8601 ("…Z" for UTC), None for None (isoformat never raises)."""
    return None if value is None else value.isoformat().replace("+00:00", "Z")
