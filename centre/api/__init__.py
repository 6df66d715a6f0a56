"""The receiver: the centre's HTTP API for devices (`/v1/…`), an ASGI app on FastAPI."""
