"""Namespaces of WordprocessingML and the packaging conventions, and tag names in Clark notation.

Tags are precomputed strings (``"{uri}local"``) because comparing an element's
``tag`` against a constant is the cheapest test lxml offers; the reader does it
once per run.
"""

from __future__ import annotations

NAMESPACES = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}


def qn(prefixed: str) -> str:
    """Return the Clark-notation name (``{uri}local``) of a prefixed name like ``w:p``."""
    prefix, local = prefixed.split(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_OFFICE_DOCUMENT = RELATIONSHIP_TYPE + "officeDocument"
REL_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_CUSTOM_PROPERTIES = RELATIONSHIP_TYPE + "custom-properties"
REL_COMMENTS = RELATIONSHIP_TYPE + "comments"
REL_HEADER = RELATIONSHIP_TYPE + "header"
REL_FOOTER = RELATIONSHIP_TYPE + "footer"
REL_FOOTNOTES = RELATIONSHIP_TYPE + "footnotes"
REL_ENDNOTES = RELATIONSHIP_TYPE + "endnotes"
REL_NUMBERING = RELATIONSHIP_TYPE + "numbering"
REL_STYLES = RELATIONSHIP_TYPE + "styles"

CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
WORD_MAIN_CONTENT_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    }
)
MACRO_CONTENT_TYPES = frozenset(
    {
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    }
)

# Block level and containers
W_BODY = qn("w:body")
W_P = qn("w:p")
W_PPR = qn("w:pPr")
W_TBL = qn("w:tbl")
W_TC = qn("w:tc")
W_SDT = qn("w:sdt")
W_SDTPR = qn("w:sdtPr")
W_SDTCONTENT = qn("w:sdtContent")
W_TAG = qn("w:tag")
W_TXBXCONTENT = qn("w:txbxContent")
W_ALTCHUNK = qn("w:altChunk")
W_FOOTNOTE = qn("w:footnote")
W_ENDNOTE = qn("w:endnote")
W_COMMENT = qn("w:comment")
MC_ALTERNATE_CONTENT = qn("mc:AlternateContent")
MC_CHOICE = qn("mc:Choice")
MC_FALLBACK = qn("mc:Fallback")

# Runs and their content
W_R = qn("w:r")
W_RPR = qn("w:rPr")
W_T = qn("w:t")
W_DELTEXT = qn("w:delText")
W_INSTRTEXT = qn("w:instrText")
W_DELINSTRTEXT = qn("w:delInstrText")
W_TAB = qn("w:tab")
W_PTAB = qn("w:ptab")
W_BR = qn("w:br")
W_CR = qn("w:cr")
W_NOBREAKHYPHEN = qn("w:noBreakHyphen")
W_SOFTHYPHEN = qn("w:softHyphen")
W_SYM = qn("w:sym")
W_RT = qn("w:rt")
W_VANISH = qn("w:vanish")
W_RSTYLE = qn("w:rStyle")
W_PSTYLE = qn("w:pStyle")

# Tracked changes
W_INS = qn("w:ins")
W_DEL = qn("w:del")
W_MOVEFROM = qn("w:moveFrom")
W_MOVETO = qn("w:moveTo")

# Numbering and styles
W_NUMPR = qn("w:numPr")
W_NUMID = qn("w:numId")
W_ILVL = qn("w:ilvl")

# Comments anchoring
W_COMMENT_RANGE_START = qn("w:commentRangeStart")
W_COMMENT_RANGE_END = qn("w:commentRangeEnd")
W_COMMENT_REFERENCE = qn("w:commentReference")

# Attributes
W_VAL = qn("w:val")
W_ID = qn("w:id")
W_TYPE = qn("w:type")
W_AUTHOR = qn("w:author")
W_DATE = qn("w:date")
W_CHAR = qn("w:char")
W_TR = qn("w:tr")
W_TRPR = qn("w:trPr")
W_FLDCHAR = qn("w:fldChar")
W_FLDCHARTYPE = qn("w:fldCharType")
W_DOCUMENT = qn("w:document")
W_HEADER_REFERENCE = qn("w:headerReference")
W_FOOTER_REFERENCE = qn("w:footerReference")
R_ID = qn("r:id")
