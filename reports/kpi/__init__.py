"""Managers' delivery, stock and purchasing figures beside profit: on-time delivery,
inventory turns and stock value, purchase lead time. Reads only (set-based SQL); the pages,
the API and the dashboard tiles show the same numbers."""
