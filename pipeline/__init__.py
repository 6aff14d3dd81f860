"""Vietnamese report pipeline: read report archives, segment them and extract facts with offsets."""

__version__ = "0.1.0"
