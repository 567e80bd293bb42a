"""Small PDFs built at test time (no network, no committed binaries).

`text_pdf` writes minimal PDF syntax by hand (one Helvetica font, one content stream per page)
and lets pypdf re-save it so the cross-reference table is correct. The bad files are derived
from it or built with pypdf / Pillow.
"""

from __future__ import annotations

import io
from pathlib import Path

ARTICLES = ("Article 1 Some text", "Article 2 More text")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _raw_pdf(pages: list[list[str]]) -> bytes:
    """Hand-written PDF syntax; the xref offsets are not trusted (pypdf rewrites them)."""
    n = len(pages)
    font_id = 3 + 2 * n
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [" + " ".join(f"{3 + 2 * i} 0 R" for i in range(n)) + f"] /Count {n} >>",
    ]
    for i, lines in enumerate(pages):
        ops = []
        y = 720
        for line in lines:
            ops.append(f"BT /F1 12 Tf 72 {y} Td ({_escape(line)}) Tj ET")
            y -= 18
        stream = "\n".join(ops)
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            f" /Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {4 + 2 * i} 0 R >>"
        )
        objects.append(f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def text_pdf_bytes(lines: tuple[str, ...] | list[str] = ARTICLES) -> bytes:
    """A valid one-page PDF with a real text layer (one line of text per item)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(_raw_pdf([list(lines)])))
    writer = PdfWriter(clone_from=reader)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(path: Path, lines: tuple[str, ...] | list[str] = ARTICLES) -> Path:
    path.write_bytes(text_pdf_bytes(lines))
    return path


def not_a_pdf(path: Path) -> Path:
    """Text bytes under a .pdf name."""
    path.write_bytes(b"This is a plain text file, not a PDF at all.\nSecond line.\n" * 20)
    return path


def truncated_bytes(share: float = 0.4) -> bytes:
    data = text_pdf_bytes()
    return data[: int(len(data) * share)]


def truncated_pdf(path: Path, share: float = 0.4) -> Path:
    """The first `share` of a valid text PDF: a %PDF- header but no xref, trailer or %%EOF."""
    path.write_bytes(truncated_bytes(share))
    return path


def encrypted_pdf(path: Path, password: str = "secret") -> Path:
    """A text PDF that needs a user password (RC4-128: pypdf needs no `cryptography` for it)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf_bytes())))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def zero_page_pdf(path: Path) -> Path:
    """A structurally valid PDF whose page tree is empty."""
    from pypdf import PdfWriter

    with path.open("wb") as fh:
        PdfWriter().write(fh)
    return path


def image_only_pdf(path: Path) -> Path:
    """One page that is a picture of shapes: no text layer at all."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.rectangle((50, 60 + i * 110, 550, 120 + i * 110), outline="black", fill=(200, 200, 200))
    image.save(path, "PDF", resolution=72.0)
    return path
