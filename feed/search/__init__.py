"""Chinese search for an on-screen A–Z keyboard: Chinese substrings, full pinyin, initials and mixes.

Keys are computed when a snapshot is committed (`index`), queries run against them (`query`);
`pinyin` holds the reading and segmentation rules both sides share.
"""

from feed.search.query import search

__all__ = ["search"]
