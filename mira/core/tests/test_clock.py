import datetime
import zoneinfo

from django.template import Context, Template
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mira.core.templatetags.clock import clock_span

DJANGO_FILTERS = Template('{% load tz %}{{ start|localtime|time:"H:i" }}–{{ end|localtime|time:"H:i" }}')
SPAN = Template("{% load clock %}{{ start|clock_span:end }}")
ZONES = st.sampled_from([datetime.UTC, zoneinfo.ZoneInfo("Europe/Berlin"), zoneinfo.ZoneInfo("Asia/Tbilisi")])
MOMENTS = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2040, 12, 31), timezones=ZONES
)


@given(start=MOMENTS, end=MOMENTS, shown_in=st.sampled_from(["Europe/Berlin", "UTC", "Asia/Kabul"]))
def test_clock_span_says_what_djangos_filters_say(start, end, shown_in):
    # Any aware moments, in any current time zone, across the changes to and from summer time.
    with timezone.override(shown_in):
        context = Context({"start": start, "end": end})
        assert SPAN.render(context) == DJANGO_FILTERS.render(context)


def test_clock_span_in_berlin():
    start = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)  # 01:30 winter time, 03:30 summer time
    with timezone.override("Europe/Berlin"):
        assert clock_span(start, start + datetime.timedelta(hours=1)) == "01:30–03:30"
    assert clock_span(datetime.time(9), datetime.time(10, 15)) == "09:00–10:15"
    # Nothing to show for a missing end, as a template would show nothing for it.
    assert clock_span(start, None) == ""
    assert clock_span("", start) == ""
