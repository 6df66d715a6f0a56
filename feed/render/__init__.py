"""Guides and items rendered for people: the views the kiosk's screens show (`guide_view`,
`item_view`), and one set of HTML templates (`html.py`) for the phone pages the feed publishes and
the A4 printouts. Only `html.py` loads Jinja2, when it is first called."""
