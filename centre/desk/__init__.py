"""The desk: the bureau's staff pages, served by `hall-centre serve` beside the receiver under /desk/.

Server-rendered (Jinja2 templates in `templates/`, one local stylesheet in `static/`, no JavaScript).
Routes stay thin: the rules (roles, masking, working days, the steps of the work) live in
`centre.rules`, the queries in `centre.db`.
"""
