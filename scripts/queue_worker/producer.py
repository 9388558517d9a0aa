"""The producer the learner runs (scripts/send_readings.py), as the verify step uses it.

One import seam: verify sends readings exactly as `python -m scripts.send_readings`
does, and when the producer moves into this package only this line changes.
"""

from __future__ import annotations

from scripts.send_readings import sample_readings, send_bodies

__all__ = ["sample_readings", "send_bodies"]
