"""The official EN 16931 and Peppol BIS 3 rules shipped in the package: the official
examples pass them, broken copies fail them with the official rule id and the XML line
of the element at fault, and the findings are those of the shared official validator."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from partage.core.contract.einvoice.rules import Finding
from partage.core.documents import official_rules
from partage.core.documents.official_rules import check, element_at
from tests.documents_support import EINVOICING, official_validator

EXAMPLES = EINVOICING / "examples"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
#: The packaged files and the shared official files they are copies of.
PACKAGED = {
    "cen/EN16931-UBL-validation.xslt": "cen/EN16931-UBL-validation.xslt",
    "cen/EN16931-CII-validation.xslt": "cen/EN16931-CII-validation.xslt",
    "cen/LICENSE.txt": "cen/LICENSE.txt",
    "peppol/PEPPOL-EN16931-UBL.xsl": "peppol/PEPPOL-EN16931-UBL.xsl",
    "peppol/LICENSE-SchXslt.txt": "schxslt/LICENSE",
}


def shared_examples(pattern: str) -> list[Any]:
    """The official example documents matching ``pattern``, or one skipped case saying why."""
    found = sorted(EXAMPLES.glob(pattern))
    if not found:
        reason = f"official e-invoicing examples not found at {EXAMPLES}"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason))]
    return [pytest.param(path, id=path.name) for path in found]


def example(relative: str) -> Path:
    path = EXAMPLES / relative
    if not path.is_file():
        pytest.skip(f"official example {relative} not found at {EXAMPLES}")
    return path


def fatal(found: list[Finding]) -> list[str]:
    return [str(f) for f in found if f.severity == "fatal"]


def by_rule(found: list[Finding], rule: str) -> Finding:
    matches = [f for f in found if f.rule == rule]
    assert matches, f"{rule} not reported; found {[str(f) for f in found]}"
    return matches[0]


# --- the official examples pass -----------------------------------------------------------
@pytest.mark.parametrize("path", shared_examples("ubl/peppol-*.xml"))
def test_peppol_examples_break_no_fatal_rule(path: Path) -> None:
    assert fatal(check("ubl", path.read_bytes(), peppol=True)) == []


@pytest.mark.parametrize("path", shared_examples("cii/*.xml"))
def test_cii_examples_break_no_fatal_en16931_rule(path: Path) -> None:
    assert fatal(check("cii", path.read_bytes(), peppol=False)) == []


def test_cen_example_passes_en16931_but_not_the_peppol_rules() -> None:
    content = example("ubl/cen-ubl-tc434-example1.xml").read_bytes()
    assert fatal(check("ubl", content, peppol=False)) == []
    peppol = check("ubl", content, peppol=True)
    assert by_rule(peppol, "PEPPOL-EN16931-R001").severity == "fatal"


def test_advisory_rules_come_as_warnings() -> None:
    found = check("ubl", example("ubl/cen-ubl-tc434-creditnote1.xml").read_bytes(), peppol=True)
    warning = by_rule(found, "PEPPOL-COMMON-R044")
    assert warning.severity == "warning"
    assert str(warning).startswith(f"PEPPOL-COMMON-R044 ({warning.where}, warning): ")
    assert by_rule(found, "PEPPOL-EN16931-R004").severity == "fatal"


# --- broken copies fail with the official rule and the line at fault -----------------------
@dataclass(frozen=True)
class Breakage:
    """A change to an official example, the rule it breaks and the element that rule is
    about (an XPath in the broken document)."""

    name: str
    syntax: str
    source: str
    change: str
    edit: Callable[[etree._Element], None]
    rule: str
    at: str


def remove(element: etree._Element) -> None:
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)


def set_text(text: str) -> Callable[[etree._Element], None]:
    def edit(element: etree._Element) -> None:
        element.text = text

    return edit


PEPPOL_BASE = "ubl/peppol-base-example.xml"
CII_EXAMPLE = "cii/CII_example1.xml"
SUPPLIER_TAX = "/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"
UBL_TOTALS = "/*/cac:LegalMonetaryTotal"
CII_TOTALS = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
CII_LINE_2 = "//ram:IncludedSupplyChainTradeLineItem[2]"
BREAKAGES = [
    Breakage("seller-vat", "ubl", PEPPOL_BASE, SUPPLIER_TAX, remove, "BR-S-02", "/*"),
    Breakage(
        "total",
        "ubl",
        PEPPOL_BASE,
        f"{UBL_TOTALS}/cbc:TaxInclusiveAmount",
        set_text("9999.00"),
        "BR-CO-15",
        "/*",
    ),
    Breakage(
        "payable",
        "ubl",
        PEPPOL_BASE,
        f"{UBL_TOTALS}/cbc:TaxInclusiveAmount",
        set_text("9999.00"),
        "BR-CO-16",
        UBL_TOTALS,
    ),
    Breakage("issue-date", "ubl", PEPPOL_BASE, "/*/cbc:IssueDate", remove, "BR-03", "/*"),
    Breakage(
        "line-id",
        "ubl",
        PEPPOL_BASE,
        "/*/cac:InvoiceLine[2]/cbc:ID",
        remove,
        "BR-21",
        "/*/cac:InvoiceLine[2]",
    ),
    Breakage(
        "empty-element",
        "ubl",
        PEPPOL_BASE,
        "/*/cbc:AccountingCost",
        set_text(""),
        "PEPPOL-EN16931-R008",
        "/*/cbc:AccountingCost",
    ),
    Breakage(
        "cii-total",
        "cii",
        CII_EXAMPLE,
        f"{CII_TOTALS}/ram:GrandTotalAmount",
        set_text("9999.00"),
        "BR-CO-16",
        CII_TOTALS,
    ),
    Breakage(
        "cii-line-id",
        "cii",
        CII_EXAMPLE,
        f"{CII_LINE_2}/ram:AssociatedDocumentLineDocument/ram:LineID",
        remove,
        "BR-21",
        CII_LINE_2,
    ),
]


def broken(breakage: Breakage) -> bytes:
    """The example with the breakage applied, serialised with one element per line."""
    parser = etree.XMLParser(remove_blank_text=True)
    tree = etree.parse(str(example(breakage.source)), parser)
    (target,) = tree.xpath(breakage.change, namespaces=NS)
    breakage.edit(target)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_broken_example_fails_the_official_rule_at_its_element(breakage: Breakage) -> None:
    content = broken(breakage)
    found = check(breakage.syntax, content, peppol=breakage.syntax == "ubl")
    finding = by_rule(found, breakage.rule)
    (element,) = etree.fromstring(content).xpath(breakage.at, namespaces=NS)
    assert finding.severity == "fatal"
    assert finding.where == f"XML line {element.sourceline}"
    assert finding.message and not finding.message.startswith("[")


# --- the packaged rules are the official ones -----------------------------------------------
@cache
def shared_validate() -> Callable[[str, Path], list[dict[str, Any]]]:
    """The shared official validator, loaded once so that it compiles its rules once."""
    return official_validator()


def official_ids(syntax: str, content: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    path = tmp_path / "document.xml"
    path.write_bytes(content)
    return sorted((f["id"], f["flag"]) for f in shared_validate()(syntax, path))


def packaged_ids(syntax: str, content: bytes) -> list[tuple[str, str]]:
    return sorted((f.rule, f.severity) for f in check(syntax, content, peppol=syntax == "ubl"))


@pytest.mark.parametrize("breakage", BREAKAGES, ids=[b.name for b in BREAKAGES])
def test_broken_example_findings_are_the_official_validators(
    breakage: Breakage, tmp_path: Path
) -> None:
    content = broken(breakage)
    expected = official_ids(breakage.syntax, content, tmp_path)
    assert (breakage.rule, "fatal") in expected
    assert packaged_ids(breakage.syntax, content) == expected


@pytest.mark.parametrize("path", shared_examples("ubl/cen-*.xml"))
def test_cen_example_findings_are_the_official_validators(path: Path, tmp_path: Path) -> None:
    content = path.read_bytes()
    expected = official_ids("ubl", content, tmp_path)
    assert expected, "the CEN examples break Peppol rules"
    assert packaged_ids("ubl", content) == expected


@pytest.mark.parametrize("packaged", sorted(PACKAGED))
def test_packaged_file_is_byte_identical_to_the_official_one(packaged: str) -> None:
    shared = EINVOICING / PACKAGED[packaged]
    if not shared.is_file():
        pytest.skip(f"official e-invoicing artefacts not found at {EINVOICING}")
    assert (official_rules.OFFICIAL / packaged).read_bytes() == shared.read_bytes()


def test_rules_are_read_from_the_package() -> None:
    for path in [*official_rules.EN16931.values(), *official_rules.PEPPOL.values()]:
        assert path.is_relative_to(Path(official_rules.__file__).parent / "official")
        assert path.is_file()


# --- what the rules cannot judge -------------------------------------------------------------
def test_not_xml_is_one_finding_with_its_line() -> None:
    (finding,) = check("ubl", b"<Invoice>\n<unclosed>\n</Invoice>", peppol=True)
    assert (finding.rule, finding.severity, finding.where) == ("XML", "fatal", "XML line 3")


def test_document_of_the_other_syntax_is_refused_not_judged() -> None:
    (finding,) = check("ubl", example(CII_EXAMPLE).read_bytes(), peppol=False)
    assert finding.rule == "FORMAT"
    assert "CrossIndustryInvoice is not a UBL invoice" in finding.message


def test_rules_that_stop_on_a_document_give_a_fatal_finding() -> None:
    tree = etree.parse(str(example(PEPPOL_BASE)))
    (price,) = tree.xpath("/*/cac:InvoiceLine[1]/cac:Price/cbc:PriceAmount", namespaces=NS)
    price.text = "abc"
    found = check("ubl", etree.tostring(tree), peppol=True)
    assert [f.rule for f in found] == ["RULES", "RULES"]
    assert all("abc" in f.message and f.severity == "fatal" for f in found)


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    content = example(PEPPOL_BASE).read_bytes()
    start = content.index(b"<Invoice")
    doctype = f'<!DOCTYPE Invoice [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>\n'.encode()
    leaking = content[:start] + doctype + content[start:]
    leaking = leaking.replace(b"<cbc:AccountingCost>", b"<cbc:AccountingCost>&leak;", 1)
    (finding,) = check("ubl", leaking, peppol=True)
    safe = etree.XMLParser(resolve_entities=False, no_network=True)
    (cost,) = etree.fromstring(leaking, safe).xpath("/*/cbc:AccountingCost", namespaces=NS)
    assert (finding.rule, finding.where) == ("XML", f"XML line {cost.sourceline}")
    assert "&leak;" in finding.message and "TOP-SECRET-VALUE" not in finding.message


def test_syntax_and_peppol_are_checked() -> None:
    with pytest.raises(ValueError, match='syntax must be "ubl" or "cii"'):
        check("xrechnung", b"<x/>", peppol=False)
    with pytest.raises(ValueError, match=r"peppol: .* UBL only"):
        check("cii", b"<x/>", peppol=True)


# --- locations ---------------------------------------------------------------------------------
LOCATED = b"""<a:Root xmlns:a="urn:a" xmlns:b="urn:b/x">
  <b:Item/>
  <b:Item>
    <plain id="1"/>
    <plain id="2">text</plain>
  </b:Item>
</a:Root>"""


@pytest.mark.parametrize(
    ("location", "line"),
    [
        ("/Q{urn:a}Root[1]", 1),
        ("/Q{urn:a}Root[1]/Q{urn:b/x}Item[2]", 3),
        ("/Q{urn:a}Root[1]/Q{urn:b/x}Item[2]/Q{}plain[2]/@Q{}id", 5),
        ("/Q{urn:a}Root[1]/Q{urn:b/x}Item[2]/Q{}plain[2]/text()[1]", 5),
        ("/*:Root[namespace-uri()='urn:a'][1]/*:Item[namespace-uri()='urn:b/x'][2]", 3),
        ("/*:Root[namespace-uri()='urn:a'][1]/*:Item[namespace-uri()='urn:b/x'][2]/plain[1]", 4),
        (
            "/*:Root[namespace-uri()='urn:a'][1]/*:Item[namespace-uri()='urn:b/x'][2]/plain[2]/@id",
            5,
        ),
        ("/Q{urn:a}Root[1]/Q{urn:b/x}Item[3]", None),
        ("/Q{urn:a}Other[1]", None),
        ("/a:Root/b:Item", None),
        ("", None),
    ],
)
def test_location_points_at_its_element(location: str, line: int | None) -> None:
    element = element_at(etree.fromstring(LOCATED), location)
    assert (element.sourceline if element is not None else None) == line


# --- one process, several threads ------------------------------------------------------------
class CountingProcessor:
    """The Saxon processor, counting the stylesheet compilers asked of it."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.compilers = 0

    def new_xslt30_processor(self) -> Any:
        self.compilers += 1
        return self.real.new_xslt30_processor()

    def parse_xml(self, **options: Any) -> Any:
        return self.real.parse_xml(**options)


def test_first_checks_in_parallel_threads_compile_once_and_agree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = [broken(b) for b in BREAKAGES if b.syntax == "ubl"]
    expected = [packaged_ids("ubl", d) for d in documents]
    counting = CountingProcessor(official_rules.processor())
    monkeypatch.setattr(official_rules, "processor", lambda: counting)
    monkeypatch.setattr(official_rules, "_compiled", {})
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda d: packaged_ids("ubl", d), documents * 2))
    assert results == expected * 2
    assert counting.compilers == len(official_rules.stylesheets("ubl", peppol=True))


# --- the wheel carries them --------------------------------------------------------------------
@pytest.mark.slow
def test_wheel_carries_the_official_rules(tmp_path: Path) -> None:
    from tests.platform.test_packaging import copy_checkout

    project = copy_checkout(tmp_path / "partage")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), project],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("partage-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    official = "partage/core/documents/official"
    for packaged in [*PACKAGED, "README.md", "peppol/NOTICE.txt"]:
        assert f"{official}/{packaged}" in names, packaged
    requires = next(n for n in names if n.endswith("METADATA"))
    assert "Requires-Dist: saxonche" in zipfile.ZipFile(wheel).read(requires).decode()
