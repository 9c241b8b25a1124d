"""Regulations as dated, versioned rules (issue 20): the parameters of the §4 rules, append-only."""
