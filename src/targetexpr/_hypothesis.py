"""Hypothesis plugin: ``st.from_type(targetexpr.Target)`` and ``st.from_type(Comparison)`` … just work.

Registered through the ``hypothesis`` entry point in ``pyproject.toml``; hypothesis calls
:func:`_hypothesis_setup_hook` when it is imported, if targetexpr is installed.  The strategies
themselves load only when first used.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from .nodes import TARGET_CLASSES, CalendarDate, Quantity, Unit

    def of_kind(kind: str) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from .strategies import targets

            return targets([kind])

        return st.deferred(build)

    for kind, cls in TARGET_CLASSES.items():
        st.register_type_strategy(cls, of_kind(kind))

    def deferred(name: str) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from . import strategies

            return getattr(strategies, name)()  # type: ignore[no-any-return]

        return st.deferred(build)

    st.register_type_strategy(Quantity, deferred("quantities"))
    st.register_type_strategy(Unit, deferred("units"))
    st.register_type_strategy(CalendarDate, deferred("dates"))
