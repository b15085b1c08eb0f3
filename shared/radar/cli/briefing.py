"""`radar subscribe`, `confirm`, `unsubscribe` and `brief`: briefings and alerts from the shell.

Registered on the main `radar` group by `register(cli)`; `radar run` calls
`send_due_briefings` after its watch cycle and `send_due_alerts` after detecting trends.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

import click
from rich.console import Console

from radar.alerts.send import send_alerts
from radar.briefings.send import SendReport, preview_briefing, send_briefings
from radar.cli.names import subscribe_names
from radar.mail import build_mailer
from radar.mail.outbox import OutboxMailer
from radar.model import Source
from radar.packs.build import FIRST_DAY, LAST_DAY
from radar.settings import Settings
from radar.store.ports import BriefingStore
from radar.store.trend_ports import TrendStore
from radar.subscriptions.model import (
    ALERT_KINDS,
    LANGUAGES,
    EmptyWeek,
    Subscription,
    SubscriptionStatus,
    normalize_email,
    parse_hour,
    parse_regions,
    parse_weekday,
    zone,
)
from radar.subscriptions.usecases import SubscribeRequest, confirm, subscribe, unsubscribe
from radar.text import comma_set
from radar.wiring import build_store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.find_object(Settings)
    assert settings is not None
    return settings


@contextmanager
def _briefing_store(settings: Settings) -> Iterator[BriefingStore]:
    # Both adapters implement the subscription port too (see radar.store.ports).
    store = build_store(settings)
    try:
        yield store
    finally:
        close = getattr(store, "close", None)
        if close is not None:
            close()


def _now(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        when = datetime.fromisoformat(at.strip())
    except ValueError:
        raise click.BadParameter(f"{at!r} is not a time; use e.g. 2026-11-16T05:00Z") from None
    if not FIRST_DAY <= when.date() <= LAST_DAY:  # beyond, date arithmetic overflows
        raise click.BadParameter(
            f"{at!r} is out of range; use a day from {FIRST_DAY} to {LAST_DAY}", param_hint="--at"
        )
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


@click.command("subscribe")
@click.argument("email")
@click.option("--platforms", metavar="P[,P]", help="Only these platforms (default: all).")
@click.option("--categories", metavar="C[,C]", help="Only these categories (default: all).")
@click.option("--severities", metavar="S[,S]", help="Only action, notable or minor.")
@click.option(
    "--weekly",
    nargs=2,
    default=("mon", "08:00"),
    show_default=True,
    metavar="DAY HH:00",
    help="Weekday and hour, in --tz.",
)
@click.option("--tz", default="UTC", show_default=True, help="IANA time zone, e.g. Asia/Riyadh.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option(
    "--empty-week",
    type=click.Choice([e.value for e in EmptyWeek]),
    default=EmptyWeek.NOTE.value,
    show_default=True,
    help="When nothing changed: send a short note, or skip the week.",
)
@click.option(
    "--no-weekly",
    is_flag=True,
    help="No weekly briefing: alerts only (needs --alerts).",
)
@click.option(
    "--alerts",
    type=click.Choice(ALERT_KINDS),
    multiple=True,
    help="Also mail alerts: 'emerging' new platforms, within an hour of a rise; 'surge': "
    "established platforms unusually in the news (repeat the option for both).",
)
@click.option("--at", "at", metavar="TIME", help="Subscribe as if at this UTC time (replays).")
@click.option(
    "--region",
    metavar="CC[,CC]",
    help="Alerts only for rises seen in these countries (e.g. IN,US) or by global sources.",
)
@click.pass_context
def subscribe_command(
    ctx: click.Context,
    email: str,
    platforms: str | None,
    categories: str | None,
    severities: str | None,
    weekly: tuple[str, str],
    tz: str,
    lang: str,
    empty_week: str,
    no_weekly: bool,
    alerts: tuple[str, ...],
    region: str | None,
    at: str | None,
) -> None:
    """Subscribe EMAIL to the weekly briefing and/or alerts; a confirmation mail is sent first.

    --platforms filters both: alerts about a known platform come only if it is named, alerts
    about new names always come.
    """
    settings = _settings(ctx)
    if no_weekly and not alerts:
        raise click.BadParameter("with --no-weekly, say --alerts emerging", param_hint="--alerts")
    if region and not alerts:
        raise click.BadParameter("--region filters alerts; add --alerts emerging")
    try:
        regions = parse_regions(region)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--region") from None
    try:
        zone(tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--tz") from None
    wanted_platforms, wanted_categories = subscribe_names(platforms, categories, settings.catalog)
    try:
        request = SubscribeRequest(
            email=email,
            platforms=wanted_platforms,
            categories=wanted_categories,
            severities=comma_set(severities),
            weekday=parse_weekday(weekly[0]),
            hour=parse_hour(weekly[1]),
            tz=tz,
            lang=lang,
            empty_week=EmptyWeek(empty_week),
            weekly=not no_weekly,
            alerts=frozenset(alerts),
            regions=regions,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--weekly") from None
    mailer = build_mailer(settings)
    with _briefing_store(settings) as store:
        sub, token = subscribe(store, mailer, _now(at), settings, request)
    out.print(f"confirmation sent to {sub.email}; nothing else is sent until it is confirmed")
    if isinstance(mailer, OutboxMailer) and mailer.written:
        out.print(f"  (outbox: {mailer.written[-1]})")
    out.print(f"to confirm from this machine: radar confirm {token}")


@click.command("confirm")
@click.argument("token")
@click.option("--at", "at", metavar="TIME", help="Confirm as if at this UTC time (replays).")
@click.pass_context
def confirm_command(ctx: click.Context, token: str, at: str | None) -> None:
    """Confirm a subscription with the token from its confirmation mail."""
    settings = _settings(ctx)
    with _briefing_store(settings) as store:
        # A replay confirms on its own clock, so the rises it replays after are mailed.
        sub = confirm(store, token, _now(at), settings)
    what = []
    if sub.weekly:
        what.append(f"first briefing {first_briefing(sub)}")
    if sub.alerts:
        where = f" in {', '.join(sorted(sub.regions))}" if sub.regions else ""
        what.append(f"{', '.join(sorted(sub.alerts))} alerts as rises are detected{where}")
    out.print(f"{sub.email} is subscribed; {'; '.join(what)}")


def first_briefing(sub: Subscription) -> str:
    """When the first briefing goes out, in the subscriber's own zone: "on Monday 30 Nov 2026
    at 08:00 Asia/Riyadh" (the zone they asked for, not UTC)."""
    if sub.next_due is None:
        return "when it is next due"
    local = sub.next_due.astimezone(zone(sub.tz))
    return f"on {local:%A} {local.day} {local:%b %Y at %H:%M} {sub.tz}"


@click.command("unsubscribe")
@click.argument("token")
@click.option("--at", "at", metavar="TIME", help="Unsubscribe as if at this UTC time (replays).")
@click.pass_context
def unsubscribe_command(ctx: click.Context, token: str, at: str | None) -> None:
    """Stop briefings and alerts, with the token from an unsubscribe or manage link."""
    settings = _settings(ctx)
    with _briefing_store(settings) as store:
        sub = unsubscribe(store, token, _now(at), settings)
    out.print(f"{sub.email} will get no more briefings or alerts")


@click.command("brief")
@click.option("--preview", is_flag=True, help="Write the briefing that would go out now.")
@click.option("--send", "send_due", is_flag=True, help="Send the briefings that are due now.")
@click.option("--email", help="Preview this subscriber's briefing (default: every platform).")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of a default preview.")
@click.option("--at", metavar="TIME", help="As if at this UTC time.")
@click.pass_context
def brief_command(
    ctx: click.Context,
    preview: bool,
    send_due: bool,
    email: str | None,
    lang: str | None,
    at: str | None,
) -> None:
    """Preview a briefing into the outbox, or send the briefings that are due."""
    settings = _settings(ctx)
    now = _now(at)
    if preview == send_due:
        raise click.UsageError("say --preview or --send")
    if send_due:
        with _briefing_store(settings) as store:
            report = send_due_briefings(settings, store, now)
        out.print(describe(report) or "no briefings due")
        return
    from radar.catalog.loader import load_catalog

    with _briefing_store(settings) as store:
        if email:
            sub = store.find_subscription(normalize_email(email))
            if sub is None:
                raise click.BadParameter(f"no subscription for {email}", param_hint="--email")
            if lang:
                sub = replace(sub, lang=lang)
        else:
            sub = Subscription(
                id="preview",
                email="preview@localhost.localdomain",
                lang=lang or "en",
                status=SubscriptionStatus.ACTIVE,
                tz="UTC",
            )
        message = preview_briefing(
            store, settings, now, sub, sources=load_catalog(settings.catalog)
        )
    path = OutboxMailer(settings.outbox_dir).write(message)
    out.print(str(message["Subject"]))
    out.print(str(path))
    out.print(str(path.with_suffix(".html")))


def send_due_briefings(
    settings: Settings,
    store: object,
    now: datetime,
    sources: Sequence[Source] | None = None,
    trend_store: TrendStore | None = None,
) -> SendReport:
    """Send the briefings due at `now` with the configured mailer (used by `radar run`);
    `trend_store`: the week's surges of established platforms get a line."""
    return send_briefings(
        cast(BriefingStore, store),
        build_mailer(settings),
        now,
        settings,
        sources=sources,
        trend_store=trend_store,
    )


def send_due_alerts(
    settings: Settings,
    store: object,
    trend_store: TrendStore,
    now: datetime,
    sources: Sequence[Source] | None = None,
) -> SendReport:
    """Mail the alerts of rises detected up to `now` (used by `radar run` after detecting)."""
    return send_alerts(
        cast(BriefingStore, store),
        trend_store,
        build_mailer(settings),
        now,
        settings,
        sources=sources,
    )


# What each outcome of a send run means, in the words a person reads (issue 14: a repeat run
# says "2 alerts already sent", not "alerts: 2 done-before").
OUTCOME_WORDS = {
    "sent": "sent",
    "skipped": "skipped (nothing to send)",
    "rejected": "refused by the mail service",
    "failed": "failed (retried next run)",
    "uncertain": "may have been sent (not retried)",
    "busy": "being sent by another run",
    "done-before": "already sent",
    "done-elsewhere": "already sent by another run",
    "deferred": "left for the next run",
    "inactive": "not sent (no longer subscribed)",
}


def describe(report: SendReport, what: str = "briefings") -> str | None:
    """One line about a send run ("1 alert sent, 2 already sent"), or None when nothing was
    due. `what` is the plural noun; outcomes without words of their own are named as stored."""
    if not report.outcomes:
        return None
    unnamed = sorted({o.result for o in report.outcomes} - set(OUTCOME_WORDS))
    counted = [(r, report.count(r)) for r in (*OUTCOME_WORDS, *unnamed) if report.count(r)]
    (first, n), rest = counted[0], counted[1:]
    noun = what.removesuffix("s") if n == 1 else what
    parts = [f"{n} {noun} {OUTCOME_WORDS.get(first, first)}"]
    parts += [f"{k} {OUTCOME_WORDS.get(r, r)}" for r, k in rest]
    return ", ".join(parts)


def register(group: click.Group) -> None:
    """Add the briefing commands to the `radar` command group."""
    for command in (subscribe_command, confirm_command, unsubscribe_command, brief_command):
        group.add_command(command)
