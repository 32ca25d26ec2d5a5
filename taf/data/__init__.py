"""Data tables: every row carries its ``source`` and ``as_of`` date."""
