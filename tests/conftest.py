"""The tests are a package (`tests`, `tests.feed`, …): helpers import by their full name, e.g.
`from tests.feed.sync_kit import Publisher`, wherever the run starts from."""
