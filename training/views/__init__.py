"""Thin views: access helper -> form -> one service -> redirect (or render a selector's result).

Split by who uses them: `staff` (catalog, enrollment, own trainings), `public` (certificate check)
and HR's `programmes`, `sessions` and `jp`; training/urls.py points at these modules.
"""
