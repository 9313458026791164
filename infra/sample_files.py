"""Small, real sample files for the demo library and the benchmark (no extra dependencies).

``simple_pdf`` writes a valid one-page PDF 1.4 with the standard Helvetica fonts; ``simple_png``
a solid-colour PNG. Both are a few kilobytes, enough for a browser to open and a build to check.
"""

from __future__ import annotations

import struct
import textwrap
import zlib

SAMPLE_BANNER = "SAMPLE DOCUMENT - fictional content for the Reseller Partner Portal demo"


def _pdf_text(value: str) -> str:
    """A PDF literal string body: ASCII only, with backslash and parentheses escaped."""
    ascii_only = value.encode("ascii", "replace").decode("ascii")
    return ascii_only.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def simple_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page letter-size PDF with a title, a sample banner and wrapped paragraphs."""
    lines = ["BT", "/F2 9 Tf", "72 750 Td", f"({_pdf_text(SAMPLE_BANNER)}) Tj", "ET"]
    lines += ["BT", "/F1 18 Tf", "72 712 Td", f"({_pdf_text(title)}) Tj", "ET"]
    y = 680
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 92) or [""]:
            if y < 72:
                break
            lines += ["BT", "/F2 11 Tf", f"72 {y} Td", f"({_pdf_text(line)}) Tj", "ET"]
            y -= 15
        y -= 8
    stream = "\n".join(lines).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        f"<< /Title ({_pdf_text(title)}) /Producer (Reseller Partner Portal sample generator) >>".encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def simple_png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour 8-bit RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height, 9))
        + chunk(b"IEND", b"")
    )


POS_TEMPLATE = (
    "invoice_date,invoice_number,model,quantity,serial_numbers,end_customer,end_customer_city,"
    "end_customer_state,distributor,deal_registration\r\n"
    "2027-01-15,INV-10025,SAMPLE-MODEL-1,2,SN0001;SN0002,Example School District,Springfield,IL,"
    "northstar-distribution,DR-2027-0042\r\n"
)


def sample_file(name: str, title: str, description: str) -> bytes:
    """The bytes of a sample file for a resource, by the file's extension."""
    if name.endswith(".png"):
        return simple_png(64, 64, (48, 63, 159))
    if name.endswith(".csv"):
        return POS_TEMPLATE.encode("utf-8")
    return simple_pdf(
        title,
        [
            description,
            "This is a sample document created for the demo content of the Reseller Partner Portal. The "
            "products, figures, programs and people it mentions are fictional. Replace it with the real "
            "document by committing a file of the same name under content/files/.",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    """Write the missing sample files of ``content/data/resources/*.yml`` (run from the repository)."""
    import sys
    from pathlib import Path

    import yaml

    content = Path((argv or sys.argv[1:] or ["content"])[0])
    written = 0
    for data_file in sorted((content / "data" / "resources").glob("*.yml")):
        for entry in yaml.safe_load(data_file.read_text(encoding="utf-8")) or []:
            if not entry.get("file"):
                continue
            target = content / "files" / entry["file"]
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(sample_file(entry["file"], entry["title"], entry["description"]))
                written += 1
    print(f"Wrote {written} sample files under {content / 'files'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
