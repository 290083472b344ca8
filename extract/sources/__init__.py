"""One package per source. A package here that exposes ``SPEC`` (an
:class:`extract.core.source.Source`) is registered: see :mod:`extract.registry`."""
