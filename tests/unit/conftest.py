"""Unit tests import Rasa the way its launcher runs it (bot/rasa_server.py): without JAX, which
TensorFlow would otherwise import for nothing (about a second on every run)."""

from __future__ import annotations

from bot.rasa_server import skip_jax

skip_jax()
