"""The official EN 16931 and Peppol BIS Billing 3.0 business rules, run on an e-invoice.

The XSD says a file is well built; the business rules say it is a lawful invoice (a VAT
number where the category needs one, totals that add up, codes from the official lists,
an issue date...). They are published as Schematron compiled to XSLT by their owners,
and these very files are the judge a Peppol access point or a tax platform applies, so a
supplier's invoice is checked against them rather than against a rewrite of them. They
are shipped inside the package, in ``official/`` (see its README for the source
repositories and commits), because a production install has nothing beside it:

- ``official/cen/``: the CEN TC 434 EN 16931 rules for UBL and CII, EUPL 1.2
  (``official/cen/LICENSE.txt``);
- ``official/peppol/``: the OpenPEPPOL BIS Billing 3.0 rules for UBL, published by
  OpenPEPPOL for validation (``official/peppol/NOTICE.txt``), compiled with SchXslt
  (MIT, ``official/peppol/LICENSE-SchXslt.txt``).

They need an XSLT 2.0 processor, which lxml is not: saxonche (Saxon-HE) runs them.
Compiling a stylesheet is the expensive part: about 0.6 s for the CEN UBL one, 0.4 s
for CEN CII and 0.15 s for Peppol's, paid by the first check of a process, against
under 10 ms to check a typical invoice afterwards (``benchmarks/official_rules.py``
measures both). So each stylesheet is compiled once per process, lazily, under a lock,
and every check runs on its own clone of the compiled stylesheet (a Saxon executable
must not be shared by two running transformations). :func:`prepare` pays the cost
ahead, at start-up.

Saxon's parser resolves external entities, so it never sees the bytes received: the
document is parsed by lxml without entities or network, a document that refers to an
entity is refused, and Saxon reads lxml's re-serialisation of the root element, which
carries no DOCTYPE. The line numbers reported are those of the file received.
"""

from __future__ import annotations

import re
import threading
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lxml import etree

from partage.core.contract.einvoice.rules import Finding
from partage.core.documents import schemas

if TYPE_CHECKING:
    from saxonche import PySaxonProcessor, PyXsltExecutable

OFFICIAL = Path(__file__).resolve().parent / "official"
#: The EN 16931 rules of each syntax (CEN TC 434).
EN16931 = {
    "ubl": OFFICIAL / "cen" / "EN16931-UBL-validation.xslt",
    "cii": OFFICIAL / "cen" / "EN16931-CII-validation.xslt",
}
#: The Peppol BIS Billing 3.0 rules, which come on top of EN 16931 (UBL only).
PEPPOL = {"ubl": OFFICIAL / "peppol" / "PEPPOL-EN16931-UBL.xsl"}
ROOTS = {"ubl": frozenset(schemas.UBL_ROOTS), "cii": frozenset({schemas.CII_ROOT})}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
#: Flags the rules give to what only advises; any other flag refuses the document.
ADVISORY_FLAGS = frozenset({"warning", "information"})

#: One step to an element in an SVRL location, in either form the stylesheets write:
#: SchXslt's ``/Q{uri}name[2]`` or the ISO skeleton's ``/*:name[namespace-uri()='uri'][2]``
#: (``/name[2]`` for an element in no namespace).
ELEMENT_STEP = re.compile(
    r"/(?:Q\{(?P<q_uri>[^}]*)\}(?P<q_name>[^\[/]+)"
    r"|\*:(?P<s_name>[^\[/]+)\[namespace-uri\(\)='(?P<s_uri>[^']*)'\]"
    r"|(?P<name>[^\[/@*:()]+))"
    r"\[(?P<position>\d+)\]"
)
#: A step to a node inside the element reached (attribute, text...): its line is the element's.
INNER_STEP = re.compile(r"/(?:@|text\(\)|comment\(\)|processing-instruction\()")

_lock = threading.Lock()
_processor: PySaxonProcessor | None = None
_compiled: dict[Path, PyXsltExecutable] = {}


def stylesheets(syntax: str, *, peppol: bool) -> list[Path]:
    """The official stylesheets that judge a document of ``syntax``, in order."""
    if syntax not in EN16931:
        raise ValueError(f'syntax must be "ubl" or "cii", not {syntax!r}')
    if peppol and syntax not in PEPPOL:
        raise ValueError(f"peppol: the Peppol BIS rules are shipped for UBL only, not {syntax}")
    return [EN16931[syntax], *([PEPPOL[syntax]] if peppol else [])]


def processor() -> PySaxonProcessor:
    """The process's Saxon processor, started on first use (callers hold ``_lock``)."""
    global _processor
    if _processor is None:
        from saxonche import PySaxonProcessor

        _processor = PySaxonProcessor(license=False)
    return _processor


def executable(stylesheet: Path) -> PyXsltExecutable:
    """A clone of ``stylesheet`` compiled, for one transformation; compiles it on first use."""
    with _lock:
        compiled = _compiled.get(stylesheet)
        if compiled is None:
            compiler = processor().new_xslt30_processor()
            compiled = compiler.compile_stylesheet(stylesheet_file=str(stylesheet))
            _compiled[stylesheet] = compiled
        return compiled.clone()


def prepare(syntax: str, *, peppol: bool) -> None:
    """Compile the stylesheets :func:`check` will need, so that no request pays for it."""
    for stylesheet in stylesheets(syntax, peppol=peppol):
        executable(stylesheet)


def check(syntax: str, xml: bytes, *, peppol: bool) -> list[Finding]:
    """Every official rule the document breaks, fatal and warning, in the rules' order.

    ``syntax`` is ``"ubl"`` or ``"cii"`` (the XML of a Factur-X PDF); ``peppol`` adds the
    Peppol BIS Billing 3.0 rules to EN 16931 (UBL only). Each finding carries the rule's
    official identifier and text, its severity, and the line of the element it is about
    (the rule's XPath location when no element can be pointed at). A document that is
    not XML, or not of ``syntax``, gives one fatal finding saying so and is not judged.
    """
    paths = stylesheets(syntax, peppol=peppol)
    root, found = schemas.parse(xml)
    if root is None:
        return found
    if root.tag not in ROOTS[syntax]:
        return [
            Finding(
                "FORMAT",
                f"root element {etree.QName(root).localname} is not a {syntax.upper()} invoice",
                where=f"XML line {root.sourceline}",
            )
        ]
    entity = next(root.iter(etree.Entity), None)
    if entity is not None:
        return [
            Finding(
                "XML",
                f"entity reference {entity.text} is not allowed: an e-invoice declares no entities",
                where=f"XML line {entity.sourceline}",
            )
        ]
    text = etree.tostring(root, encoding="unicode")
    for path in paths:
        found += _run(path, text, root)
    return found


def _run(stylesheet: Path, text: str, root: etree._Element) -> list[Finding]:
    """The failed assertions of one stylesheet on the document ``text`` parsed as ``root``."""
    from saxonche import PySaxonApiError

    transform = executable(stylesheet)
    try:
        node = processor().parse_xml(xml_text=text, encoding="UTF-8")
        report = transform.transform_to_string(xdm_node=node)
    except PySaxonApiError as error:
        message = " ".join(str(error).split())
        return [Finding("RULES", f"{stylesheet.name} could not judge the document: {message}")]
    svrl = etree.fromstring(report.encode("utf-8"))
    return [_finding(failed, root) for failed in svrl.iter(f"{SVRL}failed-assert")]


def _finding(failed: etree._Element, root: etree._Element) -> Finding:
    rule = failed.get("id") or "RULES"
    words = " ".join(failed.findtext(f"{SVRL}text", default="").split())
    message = re.sub(rf"^\[{re.escape(rule)}\]\s*-?\s*", "", words)
    location = failed.get("location") or ""
    element = element_at(root, location)
    severity: Literal["fatal", "warning"] = (
        "warning" if failed.get("flag") in ADVISORY_FLAGS else "fatal"
    )
    where = f"XML line {element.sourceline}" if element is not None else location or None
    return Finding(rule, message, where=where, severity=severity)


def element_at(root: etree._Element, location: str) -> etree._Element | None:
    """The element an SVRL location points at (or whose attribute or text it points at),
    or ``None`` when the location is not a path of steps this reader knows."""
    element: etree._Element | None = None
    position = 0
    while position < len(location):
        step = ELEMENT_STEP.match(location, position)
        if step is None:
            inner = element is not None and INNER_STEP.match(location, position)
            return element if inner else None
        uri = step["q_uri"] if step["q_name"] else step["s_uri"] or ""
        name = step["q_name"] or step["s_name"] or step["name"]
        tag = f"{{{uri}}}{name}" if uri else name
        siblings = [root] if element is None else element.iterchildren()
        same = (node for node in siblings if node.tag == tag)
        element = next(islice(same, int(step["position"]) - 1, None), None)
        if element is None:
            return None
        position = step.end()
    return element
