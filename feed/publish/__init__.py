"""The publishing side: turn validated records and blobs into a signed static feed directory."""
