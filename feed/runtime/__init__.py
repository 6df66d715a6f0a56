"""The life of a program: logging, stop requests and readiness under a service manager, background
loops that survive every exception, and progress on a terminal."""
