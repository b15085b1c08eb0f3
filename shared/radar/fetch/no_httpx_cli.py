"""Keep httpx's command-line tool out of Radar's processes.

httpx's `__init__` imports its CLI (`httpx._main`) whenever click, rich and pygments are
installed, as they are beside Radar: ~45 ms of every start, for a tool Radar never runs.
Marking that module absent before httpx is first imported makes the import fail, which httpx
expects (its `httpx.main` becomes a stub saying the CLI is not installed). Nothing else of
httpx changes. Imported first by `radar.fetch`, the only package that imports httpx; when
something imported httpx earlier, it is left as it is.
"""

from __future__ import annotations

import sys

if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # None: not importable
