"""The development stack, shared by scripts/ and tests/: free ports, Rasa's endpoints file, the
real servers on loopback (action server, Rasa, web gateway, scale-out), a throw-away PostgreSQL,
the widget conversation the load and end-to-end tests send, and the NLU evaluation.

Installed with the project (`pip install -e .`, scripts/setup.sh), so neither scripts nor tests
edit sys.path, tests never import scripts and scripts never import tests.
"""
