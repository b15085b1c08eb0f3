"""The local web page (static files served by radar.api.app)."""
