"""Counts: what was counted against what was planned (`observed`), a plant's output against its capacity
(`capacity`) and what the tables hold for a plant (`overview`).
"""
