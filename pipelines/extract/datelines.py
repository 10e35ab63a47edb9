"""Wire datelines and outlet credits, blanked before anyone looks for a company.

"PARIS, May 2 (Reuters) - Société Générale will cut ...", "Aug 5 (Reuters) -", "WELLINGTON, New
Zealand (AP) —", "(Bloomberg) --", "By Bloomberg News": the words before the credit are a place,
a date and an outlet, never the company cutting jobs, yet they sit exactly where a subject would.
They are replaced by spaces, so offsets into the text stay valid for evidence spans.
"""

from __future__ import annotations

import re

# A dateline ends with an outlet in brackets and a dash or colon: "(Reuters) -", "(AP) —",
# "(UPI) --", "(dpa):". What comes before it on the same line (a place in capitals, a date) is
# part of the dateline when it is short.
_CREDIT = re.compile(
    r"(?m)^(?P<lead>[^\n]{0,80}?)\((?:[A-Z][\w.&' -]{0,30}?)\)\s*(?:-{1,2}|\u2014|\u2013|:)?\s*"
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE_LEAD = re.compile(
    rf"\s*(?:[A-Z][A-Z.'-]{{2,}}(?:\s+[A-Z][A-Z.'-]+)*(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?)?,?\s*"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*|"
    # "New Delhi, Jan 15 (IANS)": a place in title case is a dateline only with its date.
    rf"\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){{0,3}},\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?\s*"
)
# A dateline in capitals without a credit: "FRANKFURT -", "NEW DELHI:", "LONDON, Jan 9 -".
_CAPS_DATELINE = re.compile(
    r"(?m)^\s*(?P<place>[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3})(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)?\s*(?:-{1,2}|\u2014|\u2013|:)\s+"
)
# A byline line: "By Bloomberg News", "By Reuters Staff", "By Jane Doe, Reuters".
_BYLINE = re.compile(r"(?m)^\s*By\s+[A-Z][^\n]{0,60}$")
# A picture credit line: "Photo: Jane Doe (Shutterstock)", "Image credit: Getty Images". The agency
# or photographer is no company the story is about.
_PICTURE_CREDIT = re.compile(r"(?im)^\s*(?:photo|image|picture|illustration)s?(?:\s+credit)?\s*:[^\n]{0,100}$")


def mask_datelines(text: str) -> str:
    spans: list[tuple[int, int]] = []
    for m in _CREDIT.finditer(text):
        # Only a dateline-like lead: nothing, a place in capitals or a date. "Intel (INTC) -"
        # is a company with its ticker.
        if _DATELINE_LEAD.fullmatch(m.group("lead")):
            spans.append((m.start(), m.end()))
    for m in _CAPS_DATELINE.finditer(text):
        if len(m.group("place")) >= 3:
            spans.append((m.start(), m.end()))
    for m in _BYLINE.finditer(text):
        spans.append((m.start(), m.end()))
    for m in _PICTURE_CREDIT.finditer(text):
        spans.append((m.start(), m.end()))
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)
