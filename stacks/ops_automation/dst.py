"""Which wall-clock times a time zone skips when its clocks spring forward.

EventBridge Scheduler follows the schedule's time zone through daylight saving time, and
"when the time shifts forward in Spring, your schedule invocation gets skipped if the cron
expression falls on a non-existent date and time" (Scheduler user guide, Daylight saving
time: https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time).
A daily chore at 02:30 Europe/Berlin therefore does not run one day a year. The config
refuses such times, found here with the zone database (zoneinfo), offline.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_FIELD_PART = re.compile(r"^(\d+)(?:-(\d+))?(?:/(\d+))?$")


def explicit_values(field: str, lowest: int, highest: int) -> list[int] | None:
    """The values a cron minutes or hours field names (5, 1,5, 1-5, 0-30/10); None for * or anything else."""
    values: list[int] = []
    for part in field.split(","):
        match = _FIELD_PART.match(part)
        if match is None:
            return None  # "*", "*/2", ...: every hour has a run; one skipped run is the zone's, not the config's
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) else start
        step = int(match.group(3)) if match.group(3) else 1
        values.extend(v for v in range(start, end + 1, step) if lowest <= v <= highest)
    return values


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    return wall.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None)


def spring_forward_days(time_zone: str, years: range) -> list[date]:
    """The days of `years` around which `time_zone`'s offset changes (checked for gaps by the caller)."""
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return []  # the zone's own validation speaks for it
    days = []
    day = date(years.start, 1, 1)
    while day.year < years.stop:
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone)
        if midnight.utcoffset() != (midnight + timedelta(days=1)).utcoffset():
            days += [day, day + timedelta(days=1)]  # a change at midnight opens its gap on the next day
        day += timedelta(days=1)
    return days


def skipped_run(time_zone: str, cron: str, years: range) -> tuple[str, date] | None:
    """The first time of day in a 6-field cron expression that `time_zone` skips in `years`, with the day."""
    minutes_field, hours_field = cron.removeprefix("cron(").split(" ")[:2]
    minutes = explicit_values(minutes_field, 0, 59)
    hours = explicit_values(hours_field, 0, 23)
    if minutes is None or hours is None:
        return None
    days = spring_forward_days(time_zone, years)
    for day in days:
        for hour in hours:
            for minute in minutes:
                wall = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(time_zone))
                if not _exists(wall, ZoneInfo(time_zone)):
                    return f"{hour:02d}:{minute:02d}", day
    return None
