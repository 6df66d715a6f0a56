"""The bureau's centre: receives what the hall's devices send back and shows it to the staff.

One ASGI application over one database (SQLite embedded, or PostgreSQL for a province): the receiver
(`/v1/…`, devices with bearer tokens), and the command line (`hall-centre`). It never imports Kivy; it
uses the feed core's wire format (`feed.uplink.wire`). The rules a test wants — device status,
masking, tokens — live in `centre.rules` without any web framework in them.
"""

__version__ = "0.1.0"
