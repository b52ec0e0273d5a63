"""The intake: what IOP-lotsen collects after the checklist, independent of Rasa."""
