"""IOP-lotsen application code, independent of Rasa (see docs/architecture in README)."""
