"""Kivy screens and widgets of the kiosk. Importing this package imports Kivy."""
