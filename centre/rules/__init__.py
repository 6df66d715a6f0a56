"""The centre's rules, free of any web framework or database: device tokens, phone masking, and the
status of a device in the fleet. Routes, the report and the CLI call these; tests test them alone."""
