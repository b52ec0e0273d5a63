"""IOP-lotsen's own code: the domain, the web gateway and the CLI; actions/ calls into it.

The domain is plain Python without Rasa, unit-tested directly: the kommun profile, the
checklist's answers and verdict, the intake and its record, validators, privacy masking, the
intake queue in SQL (`intake_queue/`), exports and e-mail. `web/` is the aiohttp gateway
(widget socket and caseworker console) and `cli` the caseworker's command line
(`iop-handlaggare`). Only `nlu_components.py` (custom NLU components) and `rasa_server.py`
(starting Rasa with its run-time fixes) import Rasa. README.md, "How it is built", has the map.
"""
