"""planc — a small language and compiler for sales target plans."""

__version__ = "0.1.0"
