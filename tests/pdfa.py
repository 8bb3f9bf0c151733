"""A structural checker of the main PDF/A-3B requirements (ISO 19005-3:2012).

veraPDF, the reference validator, is a Java program whose distribution cannot be
installed from the registries the project uses; this module reads a PDF with pikepdf and
checks the clauses that validators fail most often, one function per area, so that a
test can assert that our invoices, credit notes and Factur-X files keep to them. It is a
structural check and not a validator: it does not parse font programs (widths, glyph
coverage), does not judge every implementation limit and does not follow every XMP value
type. Clause numbers are those of ISO 19005-3 (the same as ISO 19005-2), except the
Info/XMP equivalence, which ISO 19005-1 states in 6.7.3, and the Factur-X rules, named
after the Factur-X 1.0 specification.

``check(content)`` returns a list of ``(clause, message)`` failures, empty when every
checked requirement holds.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

import pikepdf
from lxml import etree

Failure = tuple[str, str]

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "pdfaType": "http://www.aiim.org/pdfa/ns/type#",
    "pdfaField": "http://www.aiim.org/pdfa/ns/field#",
}
RDF = f"{{{NS['rdf']}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Properties of the schemas the XMP Specification (2005) and ISO 19005 predefine, by
#: namespace; ``None`` accepts any property of a predefined schema this checker does not
#: list in detail (6.6.2.3.1).
PREDEFINED: dict[str, frozenset[str] | None] = {
    NS["dc"]: frozenset(
        [
            "contributor",
            "coverage",
            "creator",
            "date",
            "description",
            "format",
            "identifier",
            "language",
            "publisher",
            "relation",
            "rights",
            "source",
            "subject",
            "title",
            "type",
        ]
    ),
    NS["xmp"]: frozenset(
        [
            "Advisory",
            "BaseURL",
            "CreateDate",
            "CreatorTool",
            "Identifier",
            "Label",
            "MetadataDate",
            "ModifyDate",
            "Nickname",
            "Rating",
            "Thumbnails",
        ]
    ),
    NS["pdf"]: frozenset(["Keywords", "PDFVersion", "Producer", "Trapped"]),
    NS["pdfaid"]: frozenset(["part", "conformance", "amd", "corr"]),
    "http://ns.adobe.com/xap/1.0/mm/": frozenset(
        [
            "DerivedFrom",
            "DocumentID",
            "History",
            "InstanceID",
            "LastURL",
            "ManagedFrom",
            "Manager",
            "ManageTo",
            "ManageUI",
            "ManagerVariant",
            "RenditionClass",
            "RenditionOf",
            "RenditionParams",
            "SaveID",
            "VersionID",
            "Versions",
        ]
    ),
    "http://ns.adobe.com/xap/1.0/rights/": frozenset(
        ["Certificate", "Marked", "Owner", "UsageTerms", "WebStatement"]
    ),
    NS["pdfaExtension"]: frozenset({"schemas"}),
    "http://ns.adobe.com/xap/1.0/bj/": None,
    "http://ns.adobe.com/xap/1.0/t/pg/": None,
    "http://ns.adobe.com/xap/1.0/g/img/": None,
    "http://ns.adobe.com/photoshop/1.0/": None,
    "http://ns.adobe.com/tiff/1.0/": None,
    "http://ns.adobe.com/exif/1.0/": None,
    "http://ns.adobe.com/exif/1.0/aux/": None,
    "http://ns.adobe.com/camera-raw-settings/1.0/": None,
    "http://ns.adobe.com/xmp/1.0/DynamicMedia/": None,
}

#: Actions ISO 19005-3 6.5.1 forbids, and the named actions it allows.
FORBIDDEN_ACTIONS = frozenset(
    [
        "/Launch",
        "/Sound",
        "/Movie",
        "/ResetForm",
        "/ImportData",
        "/Hide",
        "/SetOCGState",
        "/Rendition",
        "/Trans",
        "/GoTo3DView",
        "/JavaScript",
    ]
)
ALLOWED_NAMED = frozenset(["/NextPage", "/PrevPage", "/FirstPage", "/LastPage"])
FORBIDDEN_ANNOTATIONS = frozenset(["/3D", "/Sound", "/Screen", "/Movie"])
BLEND_MODES = frozenset(
    [
        "/Normal",
        "/Compatible",
        "/Multiply",
        "/Screen",
        "/Overlay",
        "/Darken",
        "/Lighten",
        "/ColorDodge",
        "/ColorBurn",
        "/HardLight",
        "/SoftLight",
        "/Difference",
        "/Exclusion",
        "/Hue",
        "/Saturation",
        "/Color",
        "/Luminosity",
    ]
)
AF_RELATIONSHIPS = frozenset(
    [
        "/Source",
        "/Data",
        "/Alternative",
        "/Supplement",
        "/EncryptedPayload",
        "/FormData",
        "/Schema",
        "/Unspecified",
    ]
)
#: ICC colour space signature → number of components.
ICC_COMPONENTS = {b"GRAY": 1, b"RGB ": 3, b"CMYK": 4, b"Lab ": 3}
DEVICE_FAMILY = {"/DeviceGray": "Gray", "/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK"}
OUTPUT_FAMILY = {b"GRAY": "Gray", b"RGB ": "RGB", b"CMYK": "CMYK", b"Lab ": "Lab"}
#: Info dictionary entry → its XMP analogue (ISO 19005-1 6.7.3, Table 1).
INFO_XMP = {
    "/Title": ("dc", "title"),
    "/Author": ("dc", "creator"),
    "/Subject": ("dc", "description"),
    "/Keywords": ("pdf", "Keywords"),
    "/Creator": ("xmp", "CreatorTool"),
    "/Producer": ("pdf", "Producer"),
    "/CreationDate": ("xmp", "CreateDate"),
    "/ModDate": ("xmp", "ModifyDate"),
}
FACTURX_NS = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"
FACTURX_PROPERTIES = ("DocumentType", "DocumentFileName", "Version", "ConformanceLevel")
FACTURX_LEVELS = frozenset({"MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED"})
FACTURX_FILES = frozenset({"factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"})


@dataclass
class Report:
    """The failures found so far; each area appends to it."""

    failures: list[Failure] = field(default_factory=list)

    def fail(self, clause: str, message: str) -> None:
        self.failures.append((clause, message))


def check(content: bytes) -> list[Failure]:
    """Every failure of ``content`` against the checked PDF/A-3B requirements."""
    report = Report()
    _file_structure(content, report)
    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        report.fail("6.1.3", "the file is encrypted with a password")
        return report.failures
    except pikepdf.PdfError as error:
        report.fail("6.1", f"the file does not parse as PDF: {error}")
        return report.failures
    with pdf:
        if pdf.is_encrypted:
            report.fail("6.1.3", "the trailer has an /Encrypt entry")
        if "/ID" not in pdf.trailer:
            report.fail("6.1.3", "the trailer has no /ID")
        elif len(pdf.trailer.ID) != 2:
            report.fail("6.1.3", "the trailer /ID is not an array of two strings")
        objects = list(_walk(pdf))
        _streams(objects, report)
        _limits(objects, report)
        intents = _output_intents(pdf, report)
        _colour_and_transparency(pdf, intents, report)
        _fonts(pdf, report)
        _annotations(pdf, report)
        _actions(pdf, objects, report)
        _forms_and_permissions(pdf, report)
        xmp = _metadata(pdf, report)
        if xmp is not None:
            _identification(xmp, report)
            _extension_schemas(xmp, report)
            _info_matches_xmp(pdf, xmp, report)
        names = _embedded_files(pdf, objects, report)
        if xmp is not None and names.keys() & FACTURX_FILES:
            _facturx(xmp, names, report)
    return report.failures


# --- 6.1 file structure ---------------------------------------------------------------
def _file_structure(content: bytes, report: Report) -> None:
    header = re.match(rb"%PDF-1\.([0-7])(\r\n|\r|\n)", content)
    if header is None:
        report.fail("6.1.2", "the file does not start with a %PDF-1.n header (n ≤ 7)")
        return
    second = re.match(rb"%([^\r\n]*)", content[header.end() :])
    if second is None or sum(1 for byte in second.group(1)[:4] if byte > 127) < 4:
        report.fail("6.1.2", "the header is not followed by a comment of at least four bytes > 127")
    if not re.search(rb"%%EOF(\r\n|\r|\n)?\Z", content):
        report.fail("6.1.3", "data follows the last %%EOF marker")
    for later in re.finditer(rb"%PDF-\d\.\d", content[header.end() :]):
        # A second header means a file was written over or after another: its bytes
        # belong to no object. (An uncompressed embedded PDF would show one too.)
        report.fail("6.1.2", f"a second %PDF- header at byte {header.end() + later.start()}")
        break


def _walk(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Object]]:
    """Every dictionary, array and stream reachable from the trailer, once each, with
    the key that led to it (actions are recognised by that key)."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[str, pikepdf.Object]] = [("/Trailer", pdf.trailer)]
    while stack:
        key, obj = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            yield key, obj
            for child_key, child in obj.items():
                if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                    stack.append((child_key, child))
        elif isinstance(obj, pikepdf.Array):
            yield key, obj
            for child in obj:
                if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
                    stack.append((key, child))


def _filters(stream: pikepdf.Stream) -> list[str]:
    given = stream.get("/Filter")
    if given is None:
        return []
    return [str(name) for name in given] if isinstance(given, pikepdf.Array) else [str(given)]


def _streams(objects: list[tuple[str, pikepdf.Object]], report: Report) -> None:
    for _key, obj in objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        for forbidden in ("/F", "/FFilter", "/FDecodeParms"):
            if forbidden in obj.stream_dict:
                report.fail("6.1.7.1", f"a stream dictionary has the {forbidden} key")
        for name in _filters(obj):
            if name in ("/LZWDecode", "/LZW"):
                report.fail("6.1.7.2", "a stream uses the LZWDecode filter")
            if name == "/Crypt":
                report.fail("6.1.7.2", "a stream uses the Crypt filter")


def _limits(objects: list[tuple[str, pikepdf.Object]], report: Report) -> None:
    """ISO 19005-3 6.1.13: the implementation limits of names, strings and integers."""

    def scalar(value: pikepdf.Object) -> None:
        if isinstance(value, pikepdf.Name) and len(str(value).encode()) - 1 > 127:
            report.fail("6.1.13", f"a name is longer than 127 bytes: {str(value)[:40]}…")
        elif isinstance(value, pikepdf.String) and len(bytes(value)) > 32767:
            report.fail("6.1.13", "a string is longer than 32767 bytes")
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not -(2**31) <= value <= 2**31 - 1
        ):
            report.fail("6.1.13", f"an integer is out of the 32-bit range: {value}")

    for _key, obj in objects:
        values = obj if isinstance(obj, pikepdf.Array) else obj.values()
        for value in values:
            scalar(value)


# --- 6.2 graphics ---------------------------------------------------------------------
@dataclass
class Intent:
    """The PDF/A output intent's profile: its colour family (Gray, RGB, CMYK or Lab)."""

    family: str


def _icc(profile: pikepdf.Stream, clause: str, what: str, report: Report) -> bytes | None:
    """Check an ICC profile stream and return its colour space signature."""
    try:
        data = profile.read_bytes()
    except pikepdf.PdfError as error:
        report.fail(clause, f"{what}: the ICC profile does not decode: {error}")
        return None
    if len(data) < 128 or data[36:40] != b"acsp":
        report.fail(clause, f"{what}: the stream is not an ICC profile")
        return None
    components = ICC_COMPONENTS.get(data[16:20])
    declared = profile.stream_dict.get("/N")
    if components is None:
        report.fail(clause, f"{what}: unknown ICC colour space {data[16:20]!r}")
    elif declared is None or int(declared) != components:
        report.fail(
            clause, f"{what}: /N {declared} does not match the profile's {components} components"
        )
    if data[8] >= 5:
        report.fail(clause, f"{what}: ICC profile version {data[8]} is newer than ICC.1:2010")
    return data[16:20] if components is not None else None


def _output_intents(pdf: pikepdf.Pdf, report: Report) -> Intent | None:
    intents = pdf.Root.get("/OutputIntents")
    found: Intent | None = None
    profiles: set[tuple[int, int]] = set()
    for intent in intents or []:
        profile = intent.get("/DestOutputProfile")
        if profile is not None and profile.is_indirect:
            profiles.add(profile.objgen)
        if intent.get("/S") != "/GTS_PDFA1":
            continue
        if profile is None:
            report.fail("6.2.3", "the GTS_PDFA1 output intent has no DestOutputProfile")
            continue
        signature = _icc(profile, "6.2.3", "DestOutputProfile", report)
        if signature is not None:
            device_class = profile.read_bytes()[12:16]
            if device_class not in (b"prtr", b"mntr"):
                report.fail("6.2.3", f"DestOutputProfile has device class {device_class!r}")
            found = Intent(OUTPUT_FAMILY[signature])
    if len(profiles) > 1:
        report.fail("6.2.3", "output intents carry different DestOutputProfile streams")
    return found


@dataclass
class Usage:
    """What the page content uses: device colour families and transparency."""

    device: set[str] = field(default_factory=set)
    transparency: bool = False


def _colour_space(space: pikepdf.Object, usage: Usage, report: Report) -> None:
    if isinstance(space, pikepdf.Name):
        family = DEVICE_FAMILY.get(str(space))
        if family:
            usage.device.add(family)
        return
    if not isinstance(space, pikepdf.Array) or len(space) == 0:
        return
    kind = str(space[0])
    if kind == "/ICCBased":
        _icc(space[1], "6.2.4.2", "an ICCBased colour space", report)
    elif kind == "/Indexed":
        _colour_space(space[1], usage, report)
    elif kind in ("/Separation", "/DeviceN"):
        _colour_space(space[2], usage, report)
    elif kind == "/Pattern" and len(space) > 1:
        _colour_space(space[1], usage, report)


def _named_space(name: pikepdf.Object, resources: pikepdf.Object) -> pikepdf.Object:
    spaces = resources.get("/ColorSpace") if resources is not None else None
    if spaces is not None and str(name) in spaces:
        return spaces[str(name)]
    return name


def _content(
    holder: pikepdf.Object,
    resources: pikepdf.Object,
    usage: Usage,
    report: Report,
    seen: set[tuple[int, int]],
) -> None:
    """Walk one content stream (a page or a form XObject) and what it draws."""
    try:
        instructions = pikepdf.parse_content_stream(holder)
    except pikepdf.PdfError as error:
        report.fail("6.2.2", f"a content stream does not parse: {error}")
        return
    for operands, operator in instructions:
        op = str(operator)
        if op in ("rg", "RG"):
            usage.device.add("RGB")
        elif op in ("g", "G"):
            usage.device.add("Gray")
        elif op in ("k", "K"):
            usage.device.add("CMYK")
        elif op in ("cs", "CS"):
            _colour_space(_named_space(operands[0], resources), usage, report)
        elif op == "INLINE IMAGE":
            image = operands[0]
            for name in _inline_filters(image):
                if name in ("/LZW", "/LZWDecode"):
                    report.fail("6.1.7.2", "an inline image uses the LZWDecode filter")
            space = image.obj.get("/CS", image.obj.get("/ColorSpace"))
            if space is not None:
                _colour_space(_named_space(space, resources), usage, report)
        elif op == "gs" and resources is not None:
            state = resources.get("/ExtGState", {}).get(str(operands[0]))
            if state is not None:
                _graphics_state(state, usage, report)
        elif op == "sh" and resources is not None:
            shading = resources.get("/Shading", {}).get(str(operands[0]))
            if shading is not None:
                _colour_space(shading.get("/ColorSpace"), usage, report)
        elif op == "Do" and resources is not None:
            xobject = resources.get("/XObject", {}).get(str(operands[0]))
            if xobject is None or (xobject.is_indirect and xobject.objgen in seen):
                continue
            if xobject.is_indirect:
                seen.add(xobject.objgen)
            _xobject(xobject, resources, usage, report, seen)


def _inline_filters(image: pikepdf.PdfInlineImage) -> list[str]:
    given = image.obj.get("/F", image.obj.get("/Filter"))
    if given is None:
        return []
    return [str(name) for name in given] if isinstance(given, pikepdf.Array) else [str(given)]


def _xobject(
    xobject: pikepdf.Stream,
    resources: pikepdf.Object,
    usage: Usage,
    report: Report,
    seen: set[tuple[int, int]],
) -> None:
    subtype = xobject.stream_dict.get("/Subtype")
    if subtype == "/Image":
        if not xobject.stream_dict.get("/ImageMask", False):
            _colour_space(xobject.stream_dict.get("/ColorSpace"), usage, report)
        if "/SMask" in xobject.stream_dict or xobject.stream_dict.get("/SMaskInData", 0):
            usage.transparency = True
        if "/Alternates" in xobject.stream_dict:
            report.fail("6.2.8", "an image has an /Alternates entry")
        if xobject.stream_dict.get("/Interpolate", False):
            report.fail("6.2.8", "an image has /Interpolate true")
    elif subtype == "/Form":
        if "/PS" in xobject.stream_dict or xobject.stream_dict.get("/Subtype2") == "/PS":
            report.fail("6.2.9", "a form XObject carries PostScript")
        _group(xobject.stream_dict.get("/Group"), usage, report)
        own = xobject.stream_dict.get("/Resources", resources)
        _content(xobject, own, usage, report, seen)
    elif subtype == "/PS":
        report.fail("6.2.9", "a PostScript XObject is used")


def _graphics_state(state: pikepdf.Dictionary, usage: Usage, report: Report) -> None:
    smask = state.get("/SMask")
    if smask is not None and smask != "/None":
        usage.transparency = True
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:
            usage.transparency = True
    mode = state.get("/BM")
    modes = list(mode) if isinstance(mode, pikepdf.Array) else [mode] if mode else []
    for name in modes:
        if str(name) not in BLEND_MODES:
            report.fail("6.2.10", f"blend mode {name} is not one of ISO 32000-1")
        elif str(name) not in ("/Normal", "/Compatible"):
            usage.transparency = True
    if "/TR" in state:
        report.fail("6.2.5", "an ExtGState has a /TR transfer function")
    if state.get("/TR2", "/Default") != "/Default":
        report.fail("6.2.5", "an ExtGState has a /TR2 other than /Default")
    if "/HTP" in state:
        report.fail("6.2.5", "an ExtGState has an /HTP entry")


def _group(group: pikepdf.Object | None, usage: Usage, report: Report) -> None:
    if group is not None and group.get("/S") == "/Transparency" and "/CS" in group:
        _colour_space(group["/CS"], usage, report)


def _colour_and_transparency(pdf: pikepdf.Pdf, intent: Intent | None, report: Report) -> None:
    for number, page in enumerate(pdf.pages, start=1):
        usage = Usage()
        group = page.obj.get("/Group")
        _group(group, usage, report)
        _content(page, page.obj.get("/Resources"), usage, report, set())
        output = intent.family if intent else None
        spaces = (page.obj.get("/Resources") or {}).get("/ColorSpace") or {}
        for family in sorted(usage.device):
            if f"/Default{family}" in spaces:
                continue  # a device-independent default replaces the device space
            if output is None:
                report.fail(
                    "6.2.4.3",
                    f"page {number} uses Device{family} without a PDF/A output intent",
                )
            elif family != "Gray" and family != output:
                report.fail(
                    "6.2.4.3",
                    f"page {number} uses Device{family} but the output intent is {output}",
                )
        if usage.transparency and intent is None and (group is None or "/CS" not in group):
            report.fail(
                "6.2.10",
                f"page {number} uses transparency without an output intent or a "
                "page group colour space",
            )


# --- 6.2.11 fonts ---------------------------------------------------------------------
def _font_resources(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every font of the pages, of their form XObjects and of annotation appearances."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = []
    for page in pdf.pages:
        stack.append(page.obj.get("/Resources"))
        for annotation in page.obj.get("/Annots", []):
            appearance = annotation.get("/AP", {}).get("/N")
            if isinstance(appearance, pikepdf.Stream):
                stack.append(appearance.stream_dict.get("/Resources"))
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        for name, font in resources.get("/Font", {}).items():
            if font.is_indirect:
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
            yield name, font
            if font.get("/Subtype") == "/Type3":
                stack.append(font.get("/Resources"))
        for xobject in resources.get("/XObject", {}).values():
            if xobject.stream_dict.get("/Subtype") == "/Form":
                stack.append(xobject.stream_dict.get("/Resources"))
        for pattern in resources.get("/Pattern", {}).values():
            if isinstance(pattern, pikepdf.Stream):
                stack.append(pattern.stream_dict.get("/Resources"))


def _embedded(descriptor: pikepdf.Object | None) -> bool:
    return descriptor is not None and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _fonts(pdf: pikepdf.Pdf, report: Report) -> None:
    for name, font in _font_resources(pdf):
        subtype = font.get("/Subtype")
        label = f"font {name} ({font.get('/BaseFont', 'unnamed')})"
        if subtype == "/Type3":
            continue
        if subtype == "/Type0":
            descendants = font.get("/DescendantFonts")
            if not descendants:
                report.fail("6.2.11.2", f"{label} has no descendant font")
                continue
            cid = descendants[0]
            if cid.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in cid:
                report.fail("6.2.11.3.2", f"{label}: CIDFontType2 without a CIDToGIDMap")
            encoding = font.get("/Encoding")
            if isinstance(encoding, pikepdf.Stream):
                ours = encoding.stream_dict.get("/CIDSystemInfo")
                theirs = cid.get("/CIDSystemInfo")
                if (
                    ours is not None
                    and theirs is not None
                    and (
                        str(ours.get("/Registry")) != str(theirs.get("/Registry"))
                        or str(ours.get("/Ordering")) != str(theirs.get("/Ordering"))
                    )
                ):
                    report.fail("6.2.11.3.1", f"{label}: CMap and CIDFont CIDSystemInfo differ")
            elif encoding is not None and str(encoding) not in ("/Identity-H", "/Identity-V"):
                report.fail(
                    "6.2.11.3.3", f"{label}: non-embedded CMap {encoding} other than Identity"
                )
            if not _embedded(cid.get("/FontDescriptor")):
                report.fail("6.2.11.4.1", f"{label} is not embedded")
            if "/ToUnicode" not in font:
                # Level U (6.2.11.7.2) requires it; a level B file with Identity-encoded
                # CIDs needs it all the same for its text to be extracted or searched.
                report.fail("6.2.11.7.2", f"{label} has no ToUnicode CMap")
        else:
            descriptor = font.get("/FontDescriptor")
            if not _embedded(descriptor):
                report.fail("6.2.11.4.1", f"{label} is not embedded")
            if subtype == "/TrueType" and descriptor is not None:
                symbolic = int(descriptor.get("/Flags", 0)) & 4
                encoding = font.get("/Encoding")
                if symbolic and encoding is not None:
                    report.fail("6.2.11.6", f"{label}: symbolic TrueType with an /Encoding")
                if not symbolic and str(encoding) not in ("/MacRomanEncoding", "/WinAnsiEncoding"):
                    report.fail(
                        "6.2.11.6", f"{label}: non-symbolic TrueType without a standard encoding"
                    )


# --- 6.3 annotations, 6.4 forms, 6.5 actions --------------------------------------------
def _annotations(pdf: pikepdf.Pdf, report: Report) -> None:
    for number, page in enumerate(pdf.pages, start=1):
        for annotation in page.obj.get("/Annots", []):
            subtype = annotation.get("/Subtype")
            label = f"page {number}: {subtype} annotation"
            if subtype in FORBIDDEN_ANNOTATIONS:
                report.fail("6.3.1", f"{label} is a forbidden type")
            if subtype == "/Popup":
                continue
            flags = int(annotation.get("/F", 0))
            if not flags & 4:
                report.fail("6.3.2", f"{label} lacks the Print flag")
            if flags & (1 | 2 | 32 | 256):
                report.fail("6.3.2", f"{label} sets Invisible, Hidden, NoView or ToggleNoView")
            if subtype == "/Link":
                continue
            rect = [float(value) for value in annotation.get("/Rect", [0, 0, 0, 0])]
            if not (rect[0] == rect[2] and rect[1] == rect[3]):
                appearance = annotation.get("/AP")
                if appearance is None or "/N" not in appearance:
                    report.fail("6.3.3", f"{label} has no normal appearance stream")
                elif set(appearance.keys()) - {"/N"}:
                    report.fail("6.3.3", f"{label}: the appearance has more than /N")


def _actions(pdf: pikepdf.Pdf, objects: list[tuple[str, pikepdf.Object]], report: Report) -> None:
    for key, obj in objects:
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        is_action = key in ("/A", "/OpenAction", "/Next") or obj.get("/Type") == "/Action"
        if is_action and obj.get("/S") in FORBIDDEN_ACTIONS:
            report.fail("6.5.1", f"a {obj.get('/S')} action is used")
        if is_action and obj.get("/S") == "/Named" and obj.get("/N") not in ALLOWED_NAMED:
            report.fail("6.5.1", f"named action {obj.get('/N')} is not allowed")
        if key == "/AA":
            for action in obj.values():
                if isinstance(action, pikepdf.Dictionary) and action.get("/S") in FORBIDDEN_ACTIONS:
                    report.fail("6.5.1", f"a {action.get('/S')} action is used")
    if "/AA" in pdf.Root:
        report.fail("6.5.2", "the document catalog has an /AA entry")
    for number, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            report.fail("6.5.2", f"page {number} has an /AA entry")
    if "/JavaScript" in pdf.Root.get("/Names", {}):
        report.fail("6.5.1", "the name dictionary has a /JavaScript tree")


def _forms_and_permissions(pdf: pikepdf.Pdf, report: Report) -> None:
    form = pdf.Root.get("/AcroForm")
    if form is not None:
        if form.get("/NeedAppearances", False):
            report.fail("6.4.1", "the interactive form sets NeedAppearances true")
        if "/XFA" in form:
            report.fail("6.4.2", "the interactive form has an /XFA entry")
    if "/NeedsRendering" in pdf.Root and pdf.Root.NeedsRendering:
        report.fail("6.4.2", "the catalog sets NeedsRendering true")
    extra = set(pdf.Root.get("/Perms", {}).keys()) - {"/UR3", "/DocMDP"}
    if extra:
        report.fail("6.1.12", f"the /Perms dictionary has {sorted(extra)}")


# --- 6.6 metadata -----------------------------------------------------------------------
def _metadata(pdf: pikepdf.Pdf, report: Report) -> etree._Element | None:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        report.fail("6.6.2.1", "the catalog has no /Metadata stream")
        return None
    if (
        stream.stream_dict.get("/Type") != "/Metadata"
        or stream.stream_dict.get("/Subtype") != "/XML"
    ):
        report.fail("6.6.2.1", "the metadata stream is not /Type /Metadata /Subtype /XML")
    data = stream.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        report.fail("6.6.2.1", "the XMP packet is not UTF-8")
        return None
    header = re.match(rb"\s*(\xef\xbb\xbf)?<\?xpacket ([^?]*)\?>", data)
    if header is None:
        report.fail("6.6.2.1", "the XMP packet has no <?xpacket begin=...?> header")
    else:
        attributes = header.group(2).decode("utf-8", "replace")
        if "begin=" not in attributes or "id=" not in attributes:
            report.fail("6.6.2.1", "the xpacket header lacks begin or id")
        if re.search(r"\b(bytes|encoding)\s*=", attributes):
            report.fail("6.6.2.1", "the xpacket header has a bytes or encoding attribute")
    if not re.search(rb"<\?xpacket end=['\"][rw]['\"]\s*\?>\s*\Z", data):
        report.fail("6.6.2.1", "the XMP packet has no <?xpacket end=...?> trailer")
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as error:
        report.fail("6.6.2.1", f"the XMP packet is not well-formed XML: {error}")
        return None
    rdf = root if root.tag == f"{RDF}RDF" else root.find(f"{RDF}RDF")
    if root.tag not in (f"{{{NS['x']}}}xmpmeta", f"{RDF}RDF") or rdf is None:
        report.fail("6.6.2.1", "the XMP packet has no x:xmpmeta/rdf:RDF")
        return None
    abouts = {description.get(f"{RDF}about") for description in rdf.findall(f"{RDF}Description")}
    if len(abouts - {None}) > 1:
        report.fail("6.6.2.1", f"rdf:Description elements describe different resources {abouts}")
    return rdf


def _properties(rdf: etree._Element) -> Iterator[tuple[str, str, etree._Element | str]]:
    """Top-level XMP properties: namespace, local name, element (or attribute value)."""
    for description in rdf.findall(f"{RDF}Description"):
        for name, value in description.attrib.items():
            namespace, _, local = name[1:].partition("}")
            if (
                namespace
                and namespace not in (NS["rdf"],)
                and not name.startswith("{http://www.w3.org/XML")
            ):
                yield namespace, local, value
        for child in description:
            if not isinstance(child.tag, str):
                continue
            namespace, _, local = child.tag[1:].partition("}")
            yield namespace, local, child


def _text(value: etree._Element | str) -> list[str]:
    """The text of a simple, Alt, Seq or Bag property (x-default first for an Alt)."""
    if isinstance(value, str):
        return [value]
    items = (
        value.findall(f"./{RDF}Alt/{RDF}li")
        or value.findall(f"./{RDF}Seq/{RDF}li")
        or value.findall(f"./{RDF}Bag/{RDF}li")
    )
    if items:
        items.sort(key=lambda item: item.get(XML_LANG) != "x-default")
        return [item.text or "" for item in items]
    return [value.text or ""] if len(value) == 0 else []


def _values(rdf: etree._Element, namespace: str, local: str) -> list[list[str]]:
    """Each occurrence of a property, as the list of its texts."""
    return [
        _text(value) for ns, name, value in _properties(rdf) if (ns, name) == (namespace, local)
    ]


def _single(found: list[list[str]]) -> str | None:
    """The text of a property that occurs once with one value, else None."""
    return found[0][0] if len(found) == 1 and len(found[0]) >= 1 else None


def _identification(rdf: etree._Element, report: Report) -> None:
    parts = _values(rdf, NS["pdfaid"], "part")
    conformances = _values(rdf, NS["pdfaid"], "conformance")
    if len(parts) != 1 or parts[0] != ["3"]:
        report.fail("6.6.4", f"pdfaid:part is {parts or 'missing'}, not 3")
    if len(conformances) != 1 or conformances[0] != ["B"]:
        report.fail("6.6.4", f"pdfaid:conformance is {conformances or 'missing'}, not B")


def _declared(rdf: etree._Element, report: Report) -> dict[str, set[str]]:
    """Extension schemas declared in pdfaExtension:schemas: namespace → property names,
    each checked for the fields 6.6.2.3.3 requires."""
    declared: dict[str, set[str]] = {}
    schema_fields = ("schema", "namespaceURI", "prefix")
    property_fields = ("name", "valueType", "category", "description")
    for schemas in rdf.iter(f"{{{NS['pdfaExtension']}}}schemas"):
        bag = schemas.find(f"{RDF}Bag")
        if bag is None:
            report.fail("6.6.2.3.3", "pdfaExtension:schemas is not an rdf:Bag")
            continue
        for schema in bag.findall(f"{RDF}li"):
            found = {
                local: schema.find(f"{{{NS['pdfaSchema']}}}{local}") for local in schema_fields
            }
            for local, element in found.items():
                if element is None or not (element.text or "").strip():
                    report.fail("6.6.2.3.3", f"an extension schema lacks pdfaSchema:{local}")
            uri = (found["namespaceURI"].text or "") if found["namespaceURI"] is not None else ""
            names = declared.setdefault(uri, set())
            seq = schema.find(f"{{{NS['pdfaSchema']}}}property/{RDF}Seq")
            for prop in seq.findall(f"{RDF}li") if seq is not None else []:
                values = {
                    local: prop.find(f"{{{NS['pdfaProperty']}}}{local}")
                    for local in property_fields
                }
                for local, element in values.items():
                    if element is None or not (element.text or "").strip():
                        report.fail(
                            "6.6.2.3.3", f"a property of schema {uri} lacks pdfaProperty:{local}"
                        )
                category = values["category"]
                if category is not None and category.text not in ("internal", "external"):
                    report.fail(
                        "6.6.2.3.3", f"pdfaProperty:category {category.text!r} in schema {uri}"
                    )
                if values["name"] is not None and values["name"].text:
                    names.add(values["name"].text)
    return declared


def _extension_schemas(rdf: etree._Element, report: Report) -> None:
    declared = _declared(rdf, report)
    for namespace, local, _value in _properties(rdf):
        if namespace in PREDEFINED:
            known = PREDEFINED[namespace]
            if known is not None and local not in known:
                report.fail("6.6.2.3.1", f"{local} is not a property of predefined {namespace}")
        elif local not in declared.get(namespace, set()):
            report.fail("6.6.2.3.1", f"property {local} of {namespace} is in no extension schema")


_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?"
)


def _pdf_date(value: str) -> datetime | None:
    match = _PDF_DATE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, zh, zm = match.groups()
    moment = datetime(
        int(year),
        int(month or 1),
        int(day or 1),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
    )
    if sign in ("Z", "z"):
        return moment.replace(tzinfo=UTC)
    if sign in ("+", "-"):
        offset = timedelta(hours=int(zh or 0), minutes=int(zm or 0))
        return moment.replace(tzinfo=timezone(offset if sign == "+" else -offset))
    return moment


def _xmp_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _same_moment(info: str, xmp: str) -> bool:
    left, right = _pdf_date(info), _xmp_date(xmp)
    if left is None or right is None:
        return False
    if (left.tzinfo is None) != (right.tzinfo is None):
        return left.replace(tzinfo=None) == right.replace(tzinfo=None)
    return left == right


def _info_matches_xmp(pdf: pikepdf.Pdf, rdf: etree._Element, report: Report) -> None:
    """ISO 19005-1 6.7.3: each Info entry, when present, equals its XMP analogue."""
    info = pdf.trailer.get("/Info")
    if info is None:
        return
    for key, (prefix, local) in INFO_XMP.items():
        if key not in info:
            continue
        given = str(info[key])
        found = _values(rdf, NS[prefix], local)
        label = f"Info {key} {given!r} and XMP {prefix}:{local} {found or 'missing'}"
        if not found:
            report.fail("6.7.3", f"{label}: the XMP analogue is missing")
        elif key == "/Author":
            if found[0] != [given]:
                report.fail("6.7.3", f"{label} differ (one creator equal to Author expected)")
        elif key in ("/CreationDate", "/ModDate"):
            if not found[0] or not _same_moment(given, found[0][0]):
                report.fail("6.7.3", f"{label} are not the same moment")
        elif not found[0] or found[0][0] != given:
            report.fail("6.7.3", f"{label} differ")


# --- 6.8 embedded files -----------------------------------------------------------------
def _embedded_files(
    pdf: pikepdf.Pdf, objects: list[tuple[str, pikepdf.Object]], report: Report
) -> dict[str, str]:
    """Check every embedded file's specification; return each embedded file's name with
    its relationship to the document."""
    associated: set[tuple[int, int]] = set()
    for key, obj in objects:
        if key == "/AF" and isinstance(obj, pikepdf.Array):
            associated |= {spec.objgen for spec in obj if spec.is_indirect}
    names: dict[str, str] = {}
    for _key, spec in objects:
        if not isinstance(spec, pikepdf.Dictionary) or "/EF" not in spec:
            continue
        name = str(spec.get("/UF", spec.get("/F", "")))
        relationship = spec.get("/AFRelationship")
        names[name] = str(relationship) if relationship is not None else ""
        label = f"embedded file {name!r}"
        if "/F" not in spec or "/UF" not in spec:
            report.fail("6.8", f"{label}: the file specification lacks /F or /UF")
        if relationship is None:
            report.fail("6.8", f"{label}: no /AFRelationship")
        elif str(relationship) not in AF_RELATIONSHIPS:
            report.fail("6.8", f"{label}: unknown /AFRelationship {relationship}")
        if not spec.is_indirect or spec.objgen not in associated:
            report.fail("6.8", f"{label} is not referenced by any /AF array")
        stream = spec.EF.get("/F")
        if not isinstance(stream, pikepdf.Stream):
            report.fail("6.8", f"{label}: /EF has no /F embedded file stream")
            continue
        subtype = stream.stream_dict.get("/Subtype")
        if subtype is None:
            report.fail("6.8", f"{label}: the embedded file has no /Subtype (MIME type)")
        elif not re.fullmatch(r"[\w.+-]+/[\w.+-]+", str(subtype)[1:]):
            report.fail("6.8", f"{label}: /Subtype {subtype} is not a MIME type")
        params = stream.stream_dict.get("/Params")
        if params is None or "/ModDate" not in params:
            report.fail("6.8", f"{label}: no /Params with a /ModDate")
        elif _pdf_date(str(params.ModDate)) is None:
            report.fail("6.8", f"{label}: /Params /ModDate is not a PDF date")
    if names and "/AF" not in pdf.Root:
        report.fail("6.8", "the catalog has no /AF array for its embedded files")
    return names


def _facturx(rdf: etree._Element, names: dict[str, str], report: Report) -> None:
    """Factur-X 1.0: the fx: properties, declared by an extension schema, name the
    embedded XML, which is the invoice's data (or its source, or an alternative)."""
    clause = "Factur-X XMP"
    for name in names.keys() & FACTURX_FILES:
        if names[name] and names[name] not in ("/Data", "/Source", "/Alternative"):
            report.fail("Factur-X", f"{name} has /AFRelationship {names[name]}")
    schemas = {}
    for schemas_element in rdf.iter(f"{{{NS['pdfaExtension']}}}schemas"):
        for schema in schemas_element.iterfind(f"{RDF}Bag/{RDF}li"):
            uri = schema.findtext(f"{{{NS['pdfaSchema']}}}namespaceURI")
            schemas[uri] = schema
    schema = schemas.get(FACTURX_NS)
    if schema is None:
        report.fail(clause, f"no pdfaSchema extension declares {FACTURX_NS}")
    else:
        if schema.findtext(f"{{{NS['pdfaSchema']}}}prefix") != "fx":
            report.fail(clause, "the Factur-X extension schema's prefix is not fx")
        properties = {
            prop.findtext(f"{{{NS['pdfaProperty']}}}name"): prop
            for prop in schema.iterfind(f"{{{NS['pdfaSchema']}}}property/{RDF}Seq/{RDF}li")
        }
        for local in FACTURX_PROPERTIES:
            prop = properties.get(local)
            if prop is None:
                report.fail(clause, f"the extension schema does not declare fx:{local}")
            elif prop.findtext(f"{{{NS['pdfaProperty']}}}valueType") != "Text":
                report.fail(clause, f"fx:{local} is not declared with valueType Text")
    values = {local: _single(_values(rdf, FACTURX_NS, local)) for local in FACTURX_PROPERTIES}
    for local, value in values.items():
        if not value:
            report.fail(clause, f"fx:{local} is missing, empty or repeated")
    if values["DocumentType"] not in (None, "INVOICE"):
        report.fail(clause, f"fx:DocumentType is {values['DocumentType']!r}, not INVOICE")
    if values["DocumentFileName"] and values["DocumentFileName"] not in names:
        report.fail(clause, f"fx:DocumentFileName {values['DocumentFileName']!r} is not embedded")
    if values["ConformanceLevel"] and values["ConformanceLevel"] not in FACTURX_LEVELS:
        report.fail(clause, f"fx:ConformanceLevel {values['ConformanceLevel']!r} is unknown")
