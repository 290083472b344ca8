"""Format-faithful demo files, one module per source, each with ``demo_files() -> list[dict]``.

Every dict: source, dataset, name (logical file name as the downloader names it), url (the real
URL it would come from), period_start, period_end (dates), data (bytes exactly as the real
server serves them: encoding, line ends, header text). Values are synthetic and deterministic.
"""
