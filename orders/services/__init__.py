"""Writes of the orders app: orders and their changes, warehouse slips, shipments."""
