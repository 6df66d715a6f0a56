"""The kiosk's logic layer: plain Python classes the Kivy screens bind to.

Nothing under this package imports Kivy, so every rule a citizen meets (navigation, idle timeout,
search state, forms, text wrapping, QR policy, themes) is testable without a window.
"""
