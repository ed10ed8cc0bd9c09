"""natoread: a terminal news reader for NATO alliance news."""

__version__ = "0.1.0"
