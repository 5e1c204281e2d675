"""Optional NER backends for toponym recognition.

The default recognizer needs no model (:func:`~geo_events.text.toponyms.find_mentions`
walks the gazetteer). When a statistical model is installed, its location
entities can be added: :func:`spacy_backend` wraps a spaCy pipeline as a
callable ``text -> list[Mention]``, which ``find_mentions(..., backend=...)``
merges with the gazetteer's mentions (the gazetteer's win where they overlap;
organisation names and demonyms are still filtered out).

No model is downloaded here: spaCy and a model (``python -m spacy download
en_core_web_sm``) are the user's to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from geo_events.errors import ExtractionError
from geo_events.text.toponyms import Mention

__all__ = ["Backend", "spacy_backend"]

#: A recognizer: text in, mentions (offsets into that text) out.
Backend = Callable[[str], Iterable[Mention]]

#: spaCy entity labels that name places.
SPACY_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def spacy_backend(
    model: str = "en_core_web_sm", *, labels: Iterable[str] = SPACY_PLACE_LABELS
) -> Backend:
    """Return a backend that reports a spaCy model's place entities.

    Raises
    ------
    ExtractionError
        When spaCy or the model is not installed (the message says how to install).

    Examples
    --------
    >>> from geo_events.text.toponyms import find_mentions  # doctest: +SKIP
    >>> find_mentions("Shelling hit Khasham.", backend=spacy_backend())  # doctest: +SKIP
    """
    try:
        import spacy  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ExtractionError("the spaCy backend needs spaCy: pip install spacy") from exc
    try:
        nlp = spacy.load(model, disable=["lemmatizer", "textcat"])
    except OSError as exc:
        raise ExtractionError(
            f"spaCy model {model!r} is not installed: python -m spacy download {model}"
        ) from exc
    wanted = frozenset(labels)

    def recognize(text: str) -> list[Mention]:
        doc = nlp(text)
        return [
            Mention(ent.start_char, ent.end_char, ent.text)
            for ent in doc.ents
            if ent.label_ in wanted
        ]

    return recognize
