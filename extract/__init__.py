"""powermarketdata extractors: download, archive, parse and load Japanese power-market data."""

__version__ = "0.1.0"
