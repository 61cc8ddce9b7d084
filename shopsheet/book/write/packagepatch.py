"""Small edits to a workbook package's bookkeeping parts — content types, relationships, the
workbook part — parsed once, edited, and written back only if edited; new parts are added.
Used where ShopOps adds to a book rather than writes its cells: the Excel face
(`excel/face.py`) and the sheets a newer ShopOps has (`book/make/addsheets.py`)."""

from __future__ import annotations

from lxml import etree

from shopsheet.book.write.package import NS_CT, NS_PKG_REL, Package, _resolve, rels_part


def xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class PackagePatch:
    """The package's small XML parts, parsed once, edited, and serialised at the end."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.wb_part = pkg.workbook_part
        self.wb_rels_part = rels_part(self.wb_part)
        self.workbook = etree.fromstring(pkg.read(self.wb_part))
        self.wb_rels = (etree.fromstring(pkg.read(self.wb_rels_part))
                        if self.wb_rels_part in pkg.infos
                        else etree.Element(f"{{{NS_PKG_REL}}}Relationships"))
        self.types = etree.fromstring(pkg.read("[Content_Types].xml"))
        self.root_rels = etree.fromstring(pkg.read("_rels/.rels"))
        self.replaced: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.dirty: set[str] = set()  # small parts edited (written again only if edited)

    def target(self, rels: etree._Element, rel_type: str, source: str) -> str | None:
        for rel in rels:
            if rel.get("Type") == rel_type and rel.get("TargetMode") != "External":
                return _resolve(source, rel.get("Target"))
        return None

    def add_rel(self, rels: etree._Element, rel_type: str, target: str) -> str:
        taken = {r.get("Id") for r in rels}
        rid = next(f"rId{n}" for n in range(len(taken) + 1, len(taken) + 1000)
                   if f"rId{n}" not in taken)
        etree.SubElement(rels, f"{{{NS_PKG_REL}}}Relationship", Id=rid, Type=rel_type,
                         Target=target)
        self.dirty.add("root" if rels is self.root_rels else "wb_rels")
        return rid

    def override(self, part: str, content_type: str) -> None:
        for el in self.types.iter(f"{{{NS_CT}}}Override"):
            if el.get("PartName") == "/" + part:
                if el.get("ContentType") != content_type:
                    el.set("ContentType", content_type)
                    self.dirty.add("types")
                return
        etree.SubElement(self.types, f"{{{NS_CT}}}Override", PartName="/" + part,
                         ContentType=content_type)
        self.dirty.add("types")

    def default(self, extension: str) -> str | None:
        """The content type the package gives files ending in `extension` by default."""
        return next((el.get("ContentType") for el in self.types.iter(f"{{{NS_CT}}}Default")
                     if el.get("Extension", "").lower() == extension), None)

    def add_default(self, extension: str, content_type: str) -> None:
        first_override = self.types.find(f"{{{NS_CT}}}Override")
        el = etree.Element(f"{{{NS_CT}}}Default", Extension=extension, ContentType=content_type)
        if first_override is None:
            self.types.append(el)
        else:
            first_override.addprevious(el)
        self.dirty.add("types")

    def finish(self) -> None:
        for key, part, root in (("workbook", self.wb_part, self.workbook),
                                ("wb_rels", self.wb_rels_part, self.wb_rels),
                                ("types", "[Content_Types].xml", self.types),
                                ("root", "_rels/.rels", self.root_rels)):
            if key in self.dirty:
                self.replaced[part] = xml_bytes(root)
        for part in [p for p in self.replaced if p not in self.pkg.infos]:
            self.added[part] = self.replaced.pop(part)
