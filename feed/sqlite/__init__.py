"""SQLite as the core uses it: transactions that never hide a failure, WAL mode when several processes
open one file, and errors that name the real cause (a damaged file, or the storage around it)."""
