"""Workforce planning and position structuring models (issue: workforce planning)."""
