"""Speech import: read → clean → outline → propose. Pure Python (no database): the
command line runs it on a file alone; the review page stores what it found."""

from dataclasses import dataclass

from .clean import Cleaned, clean
from .outline import Node, build_outline
from .proposals import Proposal, propose
from .read import read_file


@dataclass
class SpeechResult:
    how: str  # the encoding or the file kind it was read as
    cleaned: Cleaned
    outline: Node
    proposals: list[Proposal]

    def as_dict(self) -> dict:
        return {
            "read_as": self.how,
            "title": self.cleaned.title,
            "title_proposed": self.cleaned.title_proposed,
            "traditional": self.cleaned.traditional,
            "repairs": self.cleaned.repairs,
            "removed": [{"line": r.line, "reason": r.reason} for r in self.cleaned.removed],
            "paragraphs": self.cleaned.paragraphs,
            "outline": self.outline.as_dict()["children"],
            "proposals": [p.as_dict() for p in self.proposals],
        }


def import_speech(
    name: str, data: bytes, units: list[tuple[int, str]] | None = None, occasion: str = ""
) -> SpeechResult:
    """``occasion``: the meeting the speech is filed under, for a title when it has none."""
    text, how = read_file(name, data)
    cleaned = clean(text, occasion)
    outline = build_outline(cleaned.paragraphs)
    return SpeechResult(how, cleaned, outline, propose(outline, units))
