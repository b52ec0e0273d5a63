"""Exports for the caseworker (handläggare): the record as JSON, HTML, PDF and text, and the
yearly follow-up report.

Each format lives in its own module so that importing one (say JSON for the registry) does not
pull in Jinja2, fpdf2 or matplotlib.
"""
