"""The effects of a proposed rule version, computed by the app whose results the rule governs.

The core never imports a domain app: each app registers, in its AppConfig.ready(), a function that
takes the proposed parameters and the regions in scope and returns sentences ("12 pegawai berpindah
dari Baik ke Butuh Perbaikan"). The functions only read.
"""

from collections.abc import Callable, Iterable

PreviewFn = Callable[..., list[str]]
_previews: dict[str, list[PreviewFn]] = {}


def preview_register(kind: str, fn: PreviewFn) -> None:
    """fn(*, parameters: dict, region_ids: list[int]) -> list[str]."""
    if fn not in _previews.setdefault(kind, []):
        _previews[kind].append(fn)


def preview_effects(*, kind: str, parameters: dict, region_ids: Iterable[int]) -> list[str]:
    ids = sorted(region_ids)
    return [line for fn in _previews.get(kind, []) for line in fn(parameters=parameters, region_ids=ids)]


def has_preview(kind: str) -> bool:
    return bool(_previews.get(kind))
