"""lpc-assess: self-assessment for leadership in personalised care."""

__version__ = "0.1.0"
