"""Reusable kiosk widgets. Each module loads its own kv rules (once) and imports the widget modules
its rules use, so importing a screen loads only the rules it needs: the attract screen shown at cold
start parses the label rules, not the keyboards, lists and QR codes of the other screens."""
