"""Exceptions the core raises. Each carries a one-line reason fit for a status screen."""


class FeedError(Exception):
    """Base class: something about the feed or the store is not acceptable."""


class ConfigError(FeedError):
    """A configuration file is missing, unreadable or holds a bad value."""


class FeedRejectedError(FeedError):
    """The feed (manifest or an object) failed a check; the previous snapshot stays in force."""


class SourceError(FeedError):
    """The feed source could not be reached or answered with an error."""
