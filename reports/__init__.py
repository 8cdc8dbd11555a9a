"""Supervisor reporting: completion, scores and JP compliance by unit."""
