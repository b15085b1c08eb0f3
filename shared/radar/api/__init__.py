"""The HTTP API (API Gateway on AWS, `radar serve` locally): routes, OpenAPI, the web page."""
