"""The kiosk logic tests are pure Python: nothing here may import Kivy."""
