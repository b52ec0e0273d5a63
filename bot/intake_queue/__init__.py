"""The kommun's intake queue: initiative records, their status and its history, in SQL."""
