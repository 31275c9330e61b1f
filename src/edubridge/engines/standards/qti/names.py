"""QTI 3.0 namespaces, element names and response-processing template URLs."""

from __future__ import annotations

ASI = "http://www.imsglobal.org/xsd/imsqtiasi_v3p0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML = "http://www.w3.org/XML/1998/namespace"
MATHML = "http://www.w3.org/1998/Math/MathML"
SSML = "http://www.w3.org/2001/10/synthesis"
XINCLUDE = "http://www.w3.org/2001/XInclude"
ASI_SCHEMA_LOCATION = "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd"
QTI2_NAMESPACES = (
    "http://www.imsglobal.org/xsd/imsqti_v2p0",
    "http://www.imsglobal.org/xsd/imsqti_v2p1",
    "http://www.imsglobal.org/xsd/imsqti_v2p2",
)
RP_TEMPLATE_BASE = "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/"
MATCH_CORRECT = RP_TEMPLATE_BASE + "match_correct"
MAP_RESPONSE = RP_TEMPLATE_BASE + "map_response"

# Attribute that carries the EduBridge fields QTI has no place for (see docs/formats/item.md).
EXTRAS_ATTRIBUTE = "data-edubridge-item"
EXTRAS_FORMAT = "edubridge-qti-extras/1"

SUPPORTED_INTERACTIONS = frozenset(
    {
        "qti-choice-interaction",
        "qti-text-entry-interaction",
        "qti-extended-text-interaction",
        "qti-order-interaction",
        "qti-match-interaction",
    }
)
ALL_INTERACTIONS = SUPPORTED_INTERACTIONS | frozenset(
    {
        "qti-associate-interaction",
        "qti-custom-interaction",
        "qti-drawing-interaction",
        "qti-end-attempt-interaction",
        "qti-gap-match-interaction",
        "qti-graphic-associate-interaction",
        "qti-graphic-gap-match-interaction",
        "qti-graphic-order-interaction",
        "qti-hotspot-interaction",
        "qti-hottext-interaction",
        "qti-inline-choice-interaction",
        "qti-media-interaction",
        "qti-portable-custom-interaction",
        "qti-position-object-interaction",
        "qti-select-point-interaction",
        "qti-slider-interaction",
        "qti-upload-interaction",
    }
)
CARDINALITIES = frozenset({"single", "multiple", "ordered", "record"})
BASE_TYPES = frozenset(
    {
        "boolean",
        "directedPair",
        "duration",
        "file",
        "float",
        "identifier",
        "integer",
        "pair",
        "point",
        "string",
        "uri",
    }
)


def q(local: str) -> str:
    """Clark name of a QTI 3 ASI element: ``q("qti-value")`` -> ``{ns}qti-value``."""
    return f"{{{ASI}}}{local}"
