"""hall-display: the LED headline process (scheduler → renderer → output driver)."""
