"""Text to pixels for LED panels (Pillow only)."""
