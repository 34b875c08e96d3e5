"""Use cases: the only layer that commits, one unit of work per function."""
