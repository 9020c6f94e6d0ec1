"""The read-only JSON API under /api/v1/ (routes.py), its shapes written once (schemas.py)."""
