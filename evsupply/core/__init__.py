"""The ground floor: what every other layer may use, and which imports nothing of evsupply's above it.

Takes nothing but the standard library, pandas and the package's own files; gives where things live (`paths`, and
`assets/`: the plotly.js build and country shapes the package ships), atomic file writing (`io`), lazy imports of
heavy libraries (`lazy`), the on-disk cache (`cache`), checked report and analysis parameters (`parameters`), the
loaded tables as one record (`tables`), the evidence vocabulary (`evidence`), the time rules (`claims`: which rows hold
on a day, the latest claim per key) and the `Finding` record every findings module returns (`finding`).
"""
