"""The network as both loops meet it (the feed's sync and the centre's uplink): requests with one
deadline each, and backoff with jitter that honours Retry-After."""
