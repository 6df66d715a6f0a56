"""Tools for demos, tests and development, not for a hall: the static test server, the bundled demo
feed and the JSON Schema export."""
