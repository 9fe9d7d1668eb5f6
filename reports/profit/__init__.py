"""Profit contribution and customer tiers (CONTRACT.md section 5) and what is built on them:
rankings, the product profit table, tiers with the manager's rule and overrides, lifecycle
classes, commissions, the nightly snapshots and the manager's dashboard.

selectors.py   profit by customer, product, month, order (SQL aggregates)
tiers.py       the tier rule, every customer's tier as of a date, a customer's tier now
services.py    tier thresholds and overrides (writes, every change logged)
rows.py        the export rows (CONTRACT.md section 6): exact decimal strings
rankings.py    the nightly ranking run (tiers, lifecycle, tier moves) into snapshots
profit_snapshots.py  the nightly monthly trend and product table for the dashboard
commissions.py margin grades, rates and the statement per salesperson and month
"""
