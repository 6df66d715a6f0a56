"""Files on the device's own disk: atomic writes, bounded reads of regular files only, and what is
wrong with the storage when a write fails (read-only, full, no permission)."""
