"""Batteries: where a car's cells come from and what duty and local-content rules follow (`cells`), and the
cells' leg from cell plant to car plant (`upstream`).
"""
