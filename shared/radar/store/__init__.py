"""Storage: the port every adapter implements, and the adapters' shared serialisation.

Adapters are imported from their own modules (`radar.store.sqlite`, `radar.store.dynamodb`) so
that using SQLite never imports boto3.
"""

from radar.store.ports import Store

__all__ = ["Store"]
