"""The wire format of the central feed: manifest, index shards, object layout, canonical JSON, signing.

docs/feed-protocol.md is the human-readable version of this package.
"""
