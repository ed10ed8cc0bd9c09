"""One person, one key, when the store is read: the SQL that merges a surname quoted alone
("Rutte" → key `rute`) with the one full name the store has for that surname ("Mark Rutte" →
`rute m`). The ledger, `quotes --speaker` and search's `speaker:` all match speakers here, so
they agree.

Speaker keys are stored (see `natoread.core.analysis.quotes.names.speaker_key`): a person's
key is "surname initial", a surname alone is the surname, both spelled by their phonetic
skeleton (so 'Szijjártó' and 'Сийярто' are one key), anything else is its folded words.
The merge is computed at read time rather than stored, because whether a surname is
ambiguous depends on every article in the store, and changes as articles arrive.
"""

from __future__ import annotations

__all__ = ["person_sql", "persons_sql", "query_key", "speaker_match_sql"]


def person_sql(column: str) -> str:
    """SQL: the person a stored speaker key in `column` belongs to.

    A surname alone belongs to the full name with that surname when the store has exactly
    one; every other key is its own person. The keys are compared through the
    `quote(speaker_key)` index: a full name's key is the surname, a space and one letter.
    """
    return (
        f"CASE WHEN instr({column}, ' ') = 0 THEN COALESCE((SELECT MIN(f.speaker_key)"
        f" FROM quote f WHERE f.speaker_key > {column} || ' '"
        f" AND f.speaker_key < {column} || '!' AND length(f.speaker_key) = length({column}) + 2"
        f" HAVING COUNT(DISTINCT f.speaker_key) = 1), {column}) ELSE {column} END"
    )


def persons_sql() -> str:
    """SQL rows (key, person): every stored speaker key and the person it belongs to."""
    return (
        f"SELECT k.key AS key, {person_sql('k.key')} AS person FROM"
        " (SELECT DISTINCT speaker_key AS key FROM quote WHERE speaker_key IS NOT NULL) k"
    )


def query_key(name: str) -> str:
    """The speaker key of a name typed by the reader ('rutte' is read as 'Rutte')."""
    from natoread.core.analysis.quotes import speaker_key

    return speaker_key(name.title() if name.islower() else name)


def _is_person(key: str) -> bool:
    """A person's key: a surname and one initial ('rute m')."""
    surname, _, initial = key.rpartition(" ")
    return bool(surname) and " " not in surname and len(initial) == 1


def speaker_match_sql(key: str, params: list[object], column: str, *, any_first_name: bool) -> str:
    """SQL condition: the stored key in `column` (qualified with its table's alias, as
    `person_sql` reads `quote` again) is one of the person `key`'s keys.

    A person's key matches it and the surname alone when that surname is theirs alone (the
    ledger's merge, `person_sql`). A surname alone matches itself only (`any_first_name`
    False: the ledger's entry for an ambiguous surname) or, as a reader's query, every full
    name with that surname too.
    """
    if _is_person(key):
        surname = key.rpartition(" ")[0]
        params.extend([key, surname, key])
        return f"({column} = ? OR ({column} = ? AND {person_sql(column)} = ?))"
    if " " in key or not any_first_name:
        params.append(key)
        return f"{column} = ?"
    params.extend([key, f"{key} ", f"{key}!", len(key) + 2])
    return f"({column} = ? OR ({column} > ? AND {column} < ? AND length({column}) = ?))"
