"""Pure award rules: stdlib only, no Flask, no SQLAlchemy."""
