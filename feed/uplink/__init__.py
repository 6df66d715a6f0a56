"""What devices send back to the bureau's centre: the wire format, the sender and the heartbeat.

The outbox (`feed.outbox`) keeps records durably on the device; the sender drains it to the centre's
receiver (`POST /v1/submissions`) and marks a row sent only once the centre acknowledged its id. The
heartbeat (`POST /v1/heartbeats`) says how the device is doing. Nothing here imports the centre: the
centre imports `feed.uplink.wire`, the one definition of what travels.
"""
