"""Direct quotations and their speakers: the package API.

Callers use `extract_quotes`, `normalise_speaker`, `speaker_key` and `SPEAKERS_VERSION` from
here. The extractor is loaded on first use of a function (module `__getattr__`), so code that
only reads `SPEAKERS_VERSION` (the no-change poll pass checks stored versions) does not load
the lexicon, the grammar or the analysis records.

Data files (read once, on first use):
    lexicon/*.toml    word classes and a [language] table per language; given names, places
    spellings.toml    how one name is spelled across languages and scripts (speaker keys)
    transcripts.toml  transcript, interview and live-blog shapes (prefixes, Q/A, times)

Modules, in pipeline order:
    words        the word classes, loaded from the per-language data files in lexicon/
    tokens       folding, word classes per token, the memoised tokenizer
    languages    each language's [language] table; cheap per-article language detection
    cases        'according to' cues; names brought back from the genitive and other cases
    phrases      where a speaker noun phrase begins and ends
    mentions     what a noun phrase names (person, organisation, role, pronoun …)
    names        stored speaker names and their merge keys (normalise_speaker, speaker_key)
    registry     the people one article names
    discourse    who is salient so far (resolves pronouns and roles)
    grammar      one article's tokens, languages, names and sentence subjects
    attribution  the attribution grammar around one quote
    marks        quote-mark scanning: paragraphs, pairing marks, quoted segments
    sentences    where one paragraph's sentences start (a quoted passage never splits one)
    transcripts  transcript and interview answers, live-blog entries, headline speakers
    extract      the sentence-by-sentence walk (extract_quotes)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from natoread.core.analysis.quotes.extract import extract_quotes
    from natoread.core.analysis.quotes.names import normalise_speaker, speaker_key

__all__ = [
    "SPEAKERS_VERSION",
    "clear_caches",
    "extract_quotes",
    "normalise_speaker",
    "speaker_key",
]

# The version of the attribution grammar and of speaker keys. Bump it whenever the speakers
# that extract_quotes attributes, normalise_speaker or speaker_key output change (grammar,
# lexicon data or tokenizer): stored speakers and speaker keys are re-derived when it differs.
SPEAKERS_VERSION = 5

_LAZY = {
    "extract_quotes": "natoread.core.analysis.quotes.extract",
    "normalise_speaker": "natoread.core.analysis.quotes.names",
    "speaker_key": "natoread.core.analysis.quotes.names",
}


def __getattr__(name: str) -> object:
    """Load the extractor on first use of one of its functions (see the module docstring)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def clear_caches() -> None:
    """Forget the memoised chunks, words, noun phrases and speaker keys (bounded anyway)."""
    from natoread.core.analysis.quotes import mentions, names, tokens

    tokens.clear_token_memos()
    mentions.MENTIONS.clear()
    names.speaker_key.cache_clear()
