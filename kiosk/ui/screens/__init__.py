"""One module per screen, each on `BaseScreen` with its own .kv file loaded once."""
