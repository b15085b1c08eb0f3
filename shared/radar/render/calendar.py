"""Deadlines of a briefing as an iCalendar file (.ics), built with `icalendar`.

One all-day VEVENT per deadline; its UID comes from the change id, so the same deadline in
two briefings updates one calendar entry instead of adding a second. Pure: the stamp is the
briefing's own time, not the clock.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from radar.briefings.content import Briefing
from radar.render.locale import load_locale, platform_name

PRODID = "-//Platform Radar//Weekly briefing//EN"
UID_DOMAIN = "platform-radar"


def deadlines_ics(briefing: Briefing) -> bytes:
    """The briefing's deadlines as a calendar (METHOD:PUBLISH)."""
    loc = load_locale(briefing.subscription.lang)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", loc.t("brand"))
    for item in briefing.deadlines:
        assert item.deadline is not None
        event = Event()
        event.add("uid", f"{item.id}@{UID_DOMAIN}")
        event.add("dtstamp", briefing.until)
        event.add("dtstart", item.deadline)
        event.add("dtend", item.deadline + timedelta(days=1))
        event.add("summary", f"{platform_name(item.platform)}: {item.title}")
        lines = [item.deadline_text, item.summary, *item.links]
        event.add("description", "\n".join(line for line in lines if line))
        if item.links:
            event.add("url", item.links[0])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics
