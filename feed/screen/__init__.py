"""What a screen can show, the same rule for the kiosk, the LED display and the publisher's checks:
images, links and QR codes, which characters the bundled fonts draw, and text as a screen is handed
it."""
