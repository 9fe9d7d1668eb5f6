"""Writes of the materials app. Each function is one business action, atomic, keyword-only."""
