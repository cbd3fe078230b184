"""Shared test configuration: hypothesis profiles and paths to the test data.

Profiles (select with HYPOTHESIS_PROFILE): "ci" (default, 200 examples), "dev" (50), "fuzz"
(5,000 examples; used by bench/fuzz.py, not by the normal run).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The tests written before messages were translated (#16) state their messages in English: they run
# with TARGETEXPR_LANG=en (subprocesses inherit it).  Tests of the Chinese default remove it with
# monkeypatch.delenv("TARGETEXPR_LANG") or pass lang="zh" / --lang zh explicitly.
os.environ["TARGETEXPR_LANG"] = "en"
