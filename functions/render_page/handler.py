"""Renders one page in headless Chromium for watch_source (`render: browser` sources only).

watch_source invokes it synchronously (radar.fetch.render.LambdaRenderer) with {"url": ...}
and gets the rendered page or the error back (radar.fetch.render's wire format), so only this
function carries a browser: it is a container image (functions/render_page/Dockerfile,
docs/deploy.md). Chromium starts at the first invocation of a container and serves the later
ones; every request a page makes is vetted and fetched by Radar's fetcher (radar.fetch.browser).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from radar.errors import ConfigError, FetchError
from radar.fetch.discover import PageFetcher
from radar.fetch.render import render_response
from radar.settings import load_settings
from radar.wiring import build_renderer

logger = Logger()
metrics = Metrics()

# Lambda's sandbox: no zygote processes, one process for the renderer (as Chromium builds for
# Lambda run it); /dev/shm is small there, which CHROMIUM_ARGS already handles.
LAMBDA_CHROMIUM_ARGS = ("--no-zygote", "--single-process")


@cache
def build_deps() -> PageFetcher:
    """The browser (started by the first page), once per container; ConfigError without one."""
    renderer, missing = build_renderer(load_settings(), chromium_args=LAMBDA_CHROMIUM_ARGS)
    if renderer is None:
        raise ConfigError(f"render_page cannot render: {missing}")
    return renderer


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    url = event.get("url") if isinstance(event, dict) else None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValueError('render_page needs an event {"url": "https://..."}')
    try:
        result = build_deps().fetch(url)
    except FetchError as exc:  # the page's failure is the answer, not a crash of the function
        metrics.add_metric(name="PagesFailed", unit=MetricUnit.Count, value=1)
        logger.warning("page not rendered", url=url, error=str(exc))
        return render_response(None, exc)
    metrics.add_metric(name="PagesRendered", unit=MetricUnit.Count, value=1)
    logger.info("page rendered", url=url, size=len(result.body))
    return render_response(result)
