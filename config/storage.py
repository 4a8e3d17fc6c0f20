"""Static file storage: whitenoise's compressed files with content-hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    kept = []
    for extension, rules in patterns:
        rules = tuple(r for r in rules if "sourceMappingURL" not in (r[0] if isinstance(r, tuple) else r))
        if rules:
            kept.append((extension, rules))
    return tuple(kept)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Leaves ``sourceMappingURL`` comments alone.

    The vendored Bootstrap files name ``.map`` files that we do not ship; Django's manifest
    storage would otherwise stop collectstatic over each missing map.
    """

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
